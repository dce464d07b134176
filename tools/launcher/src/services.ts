import { resolve } from 'node:path';
import { repoRoot } from '@genstream/stack';

/** The five services, in the order they are started and listed. */
export const SERVICE_NAMES = [
  'generation',
  'metadata-writer',
  'document-writer',
  'cache-updater',
  'embedding-indexer',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Each service's usual port (env PORT); GENSTREAM_STACK_PORT_OFFSET shifts them with the stack's. */
export const DEFAULT_SERVICE_PORTS: Readonly<Record<ServiceName, number>> = {
  generation: 8180,
  'metadata-writer': 8181,
  'document-writer': 8182,
  'cache-updater': 8183,
  'embedding-indexer': 8184,
};

export const DEFAULT_SERVICE_HOST = '127.0.0.1';

/** What it takes to run one service: where its entry point is and where it listens. */
export interface ServiceSpec {
  readonly name: ServiceName;
  readonly host: string;
  readonly port: number;
  /** Absolute path of `services/<name>/src/main.ts`. */
  readonly entry: string;
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
}

export interface SpecOptions {
  readonly host?: string;
  /** Added to every default port (0 by default). */
  readonly portOffset?: number;
  /** Exact ports, overriding default + offset (e.g. free ports found by a test). */
  readonly ports?: Partial<Record<ServiceName, number>>;
  /** Only these services (default: all five, in SERVICE_NAMES order). */
  readonly only?: readonly ServiceName[];
  /** Another entry file per service (default `services/<name>/src/main.ts`), e.g. a stand-in in tests. */
  readonly entryOf?: (name: ServiceName) => string;
}

export function serviceSpecs(options: SpecOptions = {}): ServiceSpec[] {
  const host = options.host ?? DEFAULT_SERVICE_HOST;
  const offset = options.portOffset ?? 0;
  const names = SERVICE_NAMES.filter((name) => !options.only || options.only.includes(name));
  return names.map((name) => {
    const port = options.ports?.[name] ?? DEFAULT_SERVICE_PORTS[name] + offset;
    const entry = options.entryOf?.(name) ?? serviceEntry(name);
    return { name, host, port, entry, url: `http://${host}:${port}` };
  });
}

/** The port offset a checkout uses for its stack, applied to the services too. */
export { portOffsetFromEnv } from '@genstream/stack';

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

export function serviceEntry(name: ServiceName): string {
  return resolve(repoRoot(), 'services', name, 'src', 'main.ts');
}
