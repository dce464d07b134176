// The metrics genstream exports, taken from the code that registers them: the Kafka runtime's
// (every service), the HTTP middleware's (every service) and the generation service's own, each
// registered on a fresh prom-client Registry exactly as a service does, then read back with their
// type and labels. A name in the sources that this list lacks is an error, so a metric added
// elsewhere cannot be missed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GenerationMetrics } from '@genstream/generation';
import { HttpMetrics, KafkaMetrics } from '@genstream/kafka';
import { repoRoot } from '@genstream/stack';
import { Registry } from 'prom-client';

export interface ExportedMetric {
  readonly name: string;
  readonly type: string;
  /** Its own labels (a histogram's series also have `le`); every series also has job and instance. */
  readonly labels: readonly string[];
}

/** Metrics Prometheus itself writes for each target. */
const PROMETHEUS_METRICS: readonly ExportedMetric[] = [
  { name: 'up', type: 'gauge', labels: [] },
  { name: 'scrape_duration_seconds', type: 'gauge', labels: [] },
  { name: 'scrape_samples_scraped', type: 'gauge', labels: [] },
];

export function exportedMetrics(): ExportedMetric[] {
  const registry = new Registry();
  new KafkaMetrics(registry);
  new HttpMetrics(registry);
  new GenerationMetrics(registry);
  return registry.getMetricsAsArray().map((metric) => {
    const { name, type, labelNames } = metric as unknown as {
      name: string;
      type: string;
      labelNames?: string[];
    };
    return { name, type: String(type), labels: [...(labelNames ?? [])] };
  });
}

/** Every series name a metric's samples carry: a histogram's _bucket, _sum and _count. */
export function seriesNames(metric: ExportedMetric): string[] {
  if (metric.type === 'histogram') return ['_bucket', '_sum', '_count'].map((s) => `${metric.name}${s}`);
  if (metric.type === 'summary') return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
  return [metric.name];
}

/** Series name -> its metric, for genstream's metrics and Prometheus's own. */
export function seriesCatalogue(metrics = exportedMetrics()): Map<string, ExportedMetric> {
  const catalogue = new Map<string, ExportedMetric>();
  for (const metric of [...metrics, ...PROMETHEUS_METRICS]) {
    for (const name of seriesNames(metric)) catalogue.set(name, metric);
  }
  return catalogue;
}

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'test') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !/\.test\.ts$/.test(entry.name)) yield path;
  }
}

/** `genstream_*` metric names quoted in the sources of libs/ and services/ that the catalogue lacks. */
export function unlistedMetricNames(metrics: readonly ExportedMetric[]): string[] {
  const root = repoRoot();
  const known = new Set(metrics.map((m) => m.name));
  const missing = new Set<string>();
  for (const top of ['libs', 'services']) {
    for (const workspace of readdirSync(join(root, top))) {
      const src = join(root, top, workspace, 'src');
      if (!existsSync(src)) continue;
      for (const file of sources(src)) {
        for (const [, name] of readFileSync(file, 'utf8').matchAll(/['"`](genstream_[a-z0-9_]+)['"`]/g)) {
          if (!known.has(name!)) missing.add(`${name} (${relative(root, file)})`);
        }
      }
    }
  }
  return [...missing].sort();
}
