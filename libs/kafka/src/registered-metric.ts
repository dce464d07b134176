import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

// Runtimes sharing a registry share their metrics: each one is taken from the registry when
// already there (prom-client refuses a second metric of the same name), else created on it.

export interface MetricSpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
}

export function counterOn<L extends string>(registry: Registry, spec: MetricSpec<L>): Counter<L> {
  return reuse(registry, spec.name, () => new Counter<L>({ ...spec, registers: [registry] }));
}

export function gaugeOn<L extends string>(registry: Registry, spec: MetricSpec<L>): Gauge<L> {
  return reuse(registry, spec.name, () => new Gauge<L>({ ...spec, registers: [registry] }));
}

export function histogramOn<L extends string>(
  registry: Registry,
  spec: MetricSpec<L> & { readonly buckets: number[] },
): Histogram<L> {
  return reuse(registry, spec.name, () => new Histogram<L>({ ...spec, registers: [registry] }));
}

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
