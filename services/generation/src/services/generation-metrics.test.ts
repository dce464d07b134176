import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GenerationMetrics } from './generation-metrics.js';

async function valuesOf(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []) as { metricName?: string; labels: Record<string, unknown>; value: number }[];
}

describe('GenerationMetrics', () => {
  it('counts each model call and observes its duration, by model and outcome', async () => {
    const registry = new Registry();
    const metrics = new GenerationMetrics(registry);
    metrics.modelCalled('local-extractive-v1', 'ok', 0.04);
    metrics.modelCalled('local-extractive-v1', 'ok', 0.2);
    metrics.modelCalled('local-extractive-v1', 'retriable', 3);

    const calls = await valuesOf(registry, 'genstream_generation_model_calls_total');
    expect(calls).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { model: 'local-extractive-v1', outcome: 'ok' }, value: 2 }),
        expect.objectContaining({ labels: { model: 'local-extractive-v1', outcome: 'retriable' }, value: 1 }),
      ]),
    );
    const duration = await valuesOf(registry, 'genstream_generation_model_call_duration_seconds');
    const ok = (suffix: string, le?: number) =>
      duration.find(
        (v) =>
          v.metricName === `genstream_generation_model_call_duration_seconds${suffix}` &&
          v.labels.outcome === 'ok' &&
          (le === undefined || v.labels.le === le),
      )?.value;
    expect(ok('_count')).toBe(2);
    expect(ok('_sum')).toBeCloseTo(0.24);
    expect(ok('_bucket', 0.05)).toBe(1);
    expect(ok('_bucket', 0.25)).toBe(2);
  });

  it('registers once when two services share a registry', () => {
    const registry = new Registry();
    new GenerationMetrics(registry);
    expect(() => new GenerationMetrics(registry)).not.toThrow();
  });
});
