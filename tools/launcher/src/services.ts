import { resolve } from 'node:path';
// The light entry point: the services' common configuration alone, not the Nest runtime.
import { SERVICE_PORTS, type ServiceName } from '@genstream/service/config';
import { repoRoot } from '@genstream/stack';

/** The five services, in the order they are started and listed. */
export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as readonly ServiceName[];

export type { ServiceName };

/**
 * Each service's usual port: the default of its PORT variable, declared once with the services'
 * common configuration. GENSTREAM_STACK_PORT_OFFSET shifts them with the stack's.
 */
export const DEFAULT_SERVICE_PORTS: Readonly<Record<ServiceName, number>> = SERVICE_PORTS;

export const DEFAULT_SERVICE_HOST = '127.0.0.1';

/** Instance n of a service listens on its port + n * REPLICA_PORT_STEP (8181, 8191, 8201, ...). */
export const REPLICA_PORT_STEP = 10;
/** At most this many instances of one service: their ports must not reach the next block. */
export const MAX_REPLICAS = 9;

/** What it takes to run one instance of a service: where its entry point is and where it listens. */
export interface ServiceSpec {
  readonly name: ServiceName;
  /** 0 for the first instance. */
  readonly instance: number;
  /** Unique among the services started: the name, or `name#n` (from 1) when it runs several times. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  /** Absolute path of `services/<name>/dist/main.js` (its build), or of a stand-in `.ts` file. */
  readonly entry: string;
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
}

export interface SpecOptions {
  readonly host?: string;
  /** Added to every default port (0 by default). */
  readonly portOffset?: number;
  /**
   * Exact ports, overriding default + offset (e.g. free ports found by a test): one per service, or
   * one per instance.
   */
  readonly ports?: Partial<Record<ServiceName, number | readonly number[]>>;
  /** Instances per service (default 1 each): each its own process and port, all in one consumer group. */
  readonly replicas?: Partial<Record<ServiceName, number>>;
  /** Only these services (default: all five, in SERVICE_NAMES order). */
  readonly only?: readonly ServiceName[];
  /** Another entry file per service (default its build), e.g. a stand-in `.ts` in tests. */
  readonly entryOf?: (name: ServiceName) => string;
}

export function serviceSpecs(options: SpecOptions = {}): ServiceSpec[] {
  const host = options.host ?? DEFAULT_SERVICE_HOST;
  const offset = options.portOffset ?? 0;
  const names = SERVICE_NAMES.filter((name) => !options.only || options.only.includes(name));
  return names.flatMap((name) => {
    const count = replicaCount(name, options.replicas?.[name]);
    const entry = options.entryOf?.(name) ?? serviceEntry(name);
    return Array.from({ length: count }, (_, instance) => {
      const port = portOf(name, instance, options.ports?.[name], offset);
      const label = count === 1 ? name : `${name}#${instance + 1}`;
      return { name, instance, label, host, port, entry, url: `http://${host}:${port}` };
    });
  });
}

function replicaCount(name: ServiceName, asked: number | undefined): number {
  const count = asked ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_REPLICAS)
    throw new Error(`replicas of ${name}: from 1 to ${MAX_REPLICAS}, not ${count}`);
  return count;
}

function portOf(
  name: ServiceName,
  instance: number,
  given: number | readonly number[] | undefined,
  offset: number,
): number {
  if (Array.isArray(given)) {
    const port = (given as readonly number[])[instance];
    if (port === undefined) throw new Error(`no port given for instance ${instance + 1} of ${name}`);
    return port;
  }
  const base = typeof given === 'number' ? given : DEFAULT_SERVICE_PORTS[name] + offset;
  return base + instance * REPLICA_PORT_STEP;
}

/**
 * `metadata-writer=3,embedding-indexer=2` (from `--replicas` or GENSTREAM_REPLICAS): instances per
 * service; the services not named run once.
 */
export function parseReplicas(text: string): Partial<Record<ServiceName, number>> {
  const replicas: Partial<Record<ServiceName, number>> = {};
  for (const part of text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')) {
    const match = /^([a-z-]+)=(\d+)$/.exec(part);
    if (!match) throw new Error(`replicas: "${part}" is not service=count (e.g. metadata-writer=3)`);
    const [, name, count] = match as unknown as [string, string, string];
    if (!isServiceName(name))
      throw new Error(`replicas: unknown service ${name}; known: ${SERVICE_NAMES.join(', ')}`);
    replicas[name] = replicaCount(name, Number(count));
  }
  return replicas;
}

/** The port offset a checkout uses for its stack, applied to the services too. */
export { portOffsetFromEnv } from '@genstream/stack';

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** The service's bundle (see @genstream/build): what an image runs, run by plain node. */
export function serviceEntry(name: ServiceName): string {
  return resolve(repoRoot(), 'services', name, 'dist', 'main.js');
}
