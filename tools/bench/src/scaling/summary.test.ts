import { describe, expect, it } from 'vitest';
import type { ConsumeMeasurement, LayoutRun, WriterScaling } from './results.js';
import { BASELINE_LAYOUT } from './layouts.js';
import { bestLayout, predictedRate, slowestWriter, summarizeLayouts, summarizeWriter } from './summary.js';

const drain = (
  instances: number,
  run: number,
  recordsPerSecond: number,
  writerCores = 0.5,
): ConsumeMeasurement => ({
  writer: 'metadata-writer',
  instances,
  run,
  recordsPerSecond,
  windowMs: 2_000,
  recordsInWindow: 20_000,
  committedBeforeWindow: 0,
  steady: true,
  startMs: 1_000,
  phasesMs: { prepare: 0, start: 0, join: 0, rebalance: 0, drain: 0, stop: 0 },
  handledPerInstance: [],
  committedAfterStop: 20_000,
  stored: 20_000,
  cpu: { machineBusyCores: 1.5, writerCores },
});

describe('scaling summaries', () => {
  it('compares N instances with one: medians, ratio, per instance, run by run, prediction', () => {
    const runs = [drain(1, 1, 5_000, 0.4), drain(3, 1, 6_000), drain(3, 2, 7_500), drain(1, 2, 5_000, 0.6)];
    const summary = summarizeWriter('metadata-writer', 'PostgreSQL', runs, 6);
    expect(summary.byInstances.map((entry) => [entry.instances, entry.recordsPerSecond.median])).toEqual([
      [1, 5_000],
      [3, 6_750],
    ]);
    expect(summary.ratio).toBeCloseTo(1.35);
    expect(summary.efficiency).toBeCloseTo(0.45);
    expect(summary.byInstances[1]!.perInstance).toBe(2_250);
    expect(summary.runRatios).toEqual([1.2, 1.5]);
    expect(summary.recordsPerWriterCore).toBe(10_000);
    expect(summary.predictedAtPartitions).toBe(30_000);
  });

  it('refuses a writer measured with one instance count only', () => {
    expect(() => summarizeWriter('metadata-writer', 'PostgreSQL', [drain(1, 1, 5)], 6)).toThrow(/needs runs/);
  });

  it('caps the prediction at the partitions: a member beyond them gets none', () => {
    expect(predictedRate(1_000, 3, 6)).toBe(3_000);
    expect(predictedRate(1_000, 9, 6)).toBe(6_000);
  });

  it('names the writer with the lowest one-instance rate', () => {
    const of = (writer: WriterScaling['writer'], rate: number) => ({
      ...summarizeWriter('metadata-writer', '', [drain(1, 1, rate), drain(3, 1, rate)], 6),
      writer,
    });
    expect(
      slowestWriter([of('cache-updater', 9_000), of('embedding-indexer', 900), of('document-writer', 3_000)]),
    ).toBe('embedding-indexer');
    expect(slowestWriter([])).toBeUndefined();
  });

  it('compares each layout with every service once and names the best', () => {
    const run = (layout: string, eventsPerSecond: number): LayoutRun => ({
      layout,
      round: 1,
      run: 1,
      eventsPerSecond,
      latencyP50Ms: 100,
      latencyP99Ms: 200,
      durationMs: 1_000,
      cpu: { machineBusyCores: 2 },
    });
    const layouts = [BASELINE_LAYOUT, { name: 'writers=2', replicas: { 'cache-updater': 2 } }];
    const results = summarizeLayouts(layouts, [
      run(BASELINE_LAYOUT.name, 800),
      run('writers=2', 1_000),
      run('writers=2', 1_200),
    ]);
    expect(results.map((r) => [r.layout, r.processes, r.ratio])).toEqual([
      [BASELINE_LAYOUT.name, 5, 1],
      ['writers=2', 6, 1.375],
    ]);
    expect(bestLayout(results)?.layout).toBe('writers=2');
  });
});
