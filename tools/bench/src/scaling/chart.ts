// The scaling figures as one SVG picture: each writer's records/s per instance count, and the
// end-to-end events/s of each layout. Plain SVG, no dependencies: it opens in any browser.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { benchFile } from '../runner/bench-files.js';
import type { ScalingResult } from './results.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Text after the bar (its value, a ratio). */
  readonly note: string;
  readonly color: string;
}

export interface Panel {
  readonly title: string;
  /** Groups of bars, each under a heading (a writer), or one group without one. */
  readonly groups: readonly { readonly heading?: string; readonly bars: readonly Bar[] }[];
}

const WIDTH = 820;
const LABEL_WIDTH = 240;
const NOTE_WIDTH = 150;
const BAR_HEIGHT = 16;
const GAP = 4;
const COLORS = ['#9aa7b8', '#2f6db5', '#1b3f73', '#0d223f'];
const BEST = '#2e8b57';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const number = (value: number) => Math.round(value).toLocaleString('en-US');

/** One panel as SVG elements from `top`; returns them and the height used. */
export function panelSvg(panel: Panel, top: number): { svg: string[]; height: number } {
  const max = Math.max(1, ...panel.groups.flatMap((group) => group.bars.map((bar) => bar.value)));
  const scale = (WIDTH - LABEL_WIDTH - NOTE_WIDTH - 20) / max;
  const svg = [`<text x="10" y="${top + 16}" font-weight="bold">${escape(panel.title)}</text>`];
  let y = top + 28;
  for (const group of panel.groups) {
    if (group.heading !== undefined) {
      svg.push(`<text x="10" y="${y + 12}" font-style="italic">${escape(group.heading)}</text>`);
      y += BAR_HEIGHT + GAP;
    }
    for (const bar of group.bars) {
      const width = Math.max(1, bar.value * scale);
      svg.push(
        `<text x="${LABEL_WIDTH - 6}" y="${y + 12}" text-anchor="end">${escape(bar.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${bar.color}"/>`,
        `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + 12}">${escape(bar.note)}</text>`,
      );
      y += BAR_HEIGHT + GAP;
    }
    y += GAP * 2;
  }
  return { svg, height: y - top };
}

/** A whole picture of panels, one under the other, with a caption line at the bottom. */
export function chartSvg(panels: readonly Panel[], caption: string): string {
  const body: string[] = [];
  let top = 10;
  for (const panel of panels) {
    const { svg, height } = panelSvg(panel, top);
    body.push(...svg);
    top += height + 10;
  }
  body.push(`<text x="10" y="${top + 12}" fill="#555">${escape(caption)}</text>`);
  const height = top + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The scaling result's panels: writers (records/s per instance count), layouts (events/s). */
export function scalingPanels(result: Omit<ScalingResult, 'charts'>): Panel[] {
  const panels: Panel[] = [];
  if (result.writers.length > 0) {
    panels.push({
      title: `records/s of each writer draining ${number(result.settings.records)} records, by instances (${result.partitions} partitions)`,
      groups: result.writers.map((w) => ({
        heading: `${w.writer} (${w.store})`,
        bars: w.byInstances.map((entry, i) => ({
          label: `${entry.instances} instance${entry.instances === 1 ? '' : 's'}`,
          value: entry.recordsPerSecond.median,
          note: `${number(entry.recordsPerSecond.median)}${i === 0 ? '' : ` (${(entry.recordsPerSecond.median / w.byInstances[0]!.recordsPerSecond.median).toFixed(2)}x)`}`,
          color: COLORS[Math.min(i, COLORS.length - 1)]!,
        })),
      })),
    });
  }
  if (result.layouts.length > 0) {
    panels.push({
      title: 'events/s end to end (request to all four stores), by layout',
      groups: [
        {
          bars: result.layouts.map((l) => ({
            label: l.layout,
            value: l.eventsPerSecond.median,
            note: `${number(l.eventsPerSecond.median)} (${l.ratio.toFixed(2)}x)`,
            color: l.layout === result.bestLayout ? BEST : COLORS[1]!,
          })),
        },
      ],
    });
  }
  return panels;
}

export function scalingChart(result: Omit<ScalingResult, 'charts'>): string {
  const caption =
    `${result.machine.cores} cores (${result.machine.cpu}), ${result.startedAt.slice(0, 10)}; ` +
    'medians of the runs; ratios against 1 instance / every service once, measured in the same run';
  return chartSvg(scalingPanels(result), caption);
}

/** Writes the picture (default `.bench/scaling.svg`) and returns the result that names it. */
export function withScalingChart(
  result: Omit<ScalingResult, 'charts'>,
  file = benchFile('scaling.svg'),
): ScalingResult {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, scalingChart(result));
  return { ...result, charts: [file] };
}
