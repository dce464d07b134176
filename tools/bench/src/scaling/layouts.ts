// The end-to-end layouts: every service once (the baseline), then those asked for, written as the
// launcher's --replicas with two shorthands: `writers=N` (the four writers at N each) and
// `slowest=N` (the writer with the lowest one-instance rate in part one), and `tracing` (every span
// exported to the stack's Jaeger: `tracing` alone is the baseline traced, its cost in the same run).
import { SERVICE_NAMES, parseReplicas, type ServiceName } from '@genstream/launcher';
import { UsageError } from '../runner/flags.js';
import { WRITER_SERVICES, type Layout, type Replicas, type WriterService } from './results.js';

export const BASELINE_LAYOUT: Layout = { name: 'every service once', replicas: {} };

/** One spec as a layout; `slowest` must be known when the spec names it. */
export function expandLayout(spec: string, slowest: WriterService | undefined): Layout {
  const parts = spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const named: string[] = [];
  const tracing = parts.includes('tracing');
  for (const part of parts.filter((p) => p !== 'tracing')) {
    const [name, count] = part.split('=');
    if (name === 'writers') named.push(...WRITER_SERVICES.map((writer) => `${writer}=${count}`));
    else if (name === 'slowest') {
      if (slowest === undefined) throw new UsageError(`layout ${spec}: no slowest writer measured`);
      named.push(`${slowest}=${count}`);
    } else named.push(part);
  }
  let replicas: Replicas;
  try {
    replicas = parseReplicas(named.join(','));
  } catch (error) {
    throw new UsageError(`layout ${spec}: ${(error as Error).message}`);
  }
  const name = spec.replace(/slowest/g, slowest ?? 'slowest');
  return tracing ? { name, replicas, tracing } : { name, replicas };
}

/** The baseline first, then each spec's layout; one that repeats an earlier one is left out. */
export function layoutsFor(specs: readonly string[], slowest: WriterService | undefined): Layout[] {
  const layouts = [BASELINE_LAYOUT];
  for (const spec of specs) {
    const layout = expandLayout(spec, slowest);
    const same = (other: Layout) =>
      sameReplicas(other.replicas, layout.replicas) && Boolean(other.tracing) === Boolean(layout.tracing);
    if (!layouts.some(same)) layouts.push(layout);
  }
  return layouts;
}

/** Instances of each service, the ones not named counting once. */
export function instancesOf(replicas: Replicas, name: ServiceName): number {
  return replicas[name] ?? 1;
}

/** Processes of the five services in a layout. */
export function processCount(replicas: Replicas): number {
  return SERVICE_NAMES.reduce((sum, name) => sum + instancesOf(replicas, name), 0);
}

function sameReplicas(a: Replicas, b: Replicas): boolean {
  return SERVICE_NAMES.every((name) => instancesOf(a, name) === instancesOf(b, name));
}
