import { ensureDevKey, removeToolingKey } from './dev-key.js';
import { waitAllHealthy, waitUntilHealthy, type WaitOptions } from './health.js';
import { buildAll } from '@genstream/build';
import { isPortTaken, progressFor, repoRoot } from '@genstream/stack';
import {
  REPLICA_PORT_STEP,
  serviceSpecs,
  type ServiceName,
  type ServiceSpec,
  type SpecOptions,
} from './services.js';
import { ServiceProcess, type OutputListener, type SpawnOptions, type StopReport } from './supervisor.js';

export interface StartServicesOptions extends SpecOptions, WaitOptions {
  /** The services' whole environment: the servers' variables (KAFKA_BROKERS, ...) and anything else. */
  readonly env: NodeJS.ProcessEnv;
  /** Every line every service prints. */
  readonly onLine?: OutputListener;
  /** Called right after each process was started. */
  readonly onSpawned?: (service: ServiceProcess) => void;
  /** How long each service gets to exit after SIGTERM, when startup fails (default 10 s). */
  readonly stopGraceMs?: number;
  /** Where the development API key is kept between runs (npm start's); default: a new key each time. */
  readonly apiKeyFile?: string;
}

/** The five services running, all of them healthy when startServices returned. */
export class RunningServices implements AsyncDisposable {
  private stopping: Promise<StopReport[]> | undefined;
  /** Milliseconds from start to a healthy /health, per instance label (once all are healthy). */
  readonly readyMs = new Map<string, number>();

  constructor(
    private readonly processes: ServiceProcess[],
    private readonly spawnOptions: SpawnOptions,
    /** A key of every scope for the HTTP APIs (see ensureDevKey); undefined with AUTH=off. */
    readonly apiKey?: string,
    /** The key is this run's alone (no apiKeyFile): deleted once the services are stopped. */
    private readonly ownKey = false,
  ) {}

  /** The current process of each service (a respawned service's new one). */
  get services(): readonly ServiceProcess[] {
    return this.processes;
  }

  /**
   * Starts a service again, in place of its process that has exited (crashed, killed, or stopped):
   * what a platform's restart policy does. Returns the new process at once; see respawnHealthy.
   */
  respawn(name: ServiceName, instance = 0): ServiceProcess {
    const old = this.get(name, instance);
    if (old.exit === undefined) throw new Error(`${old.label} (pid ${old.pid}) is still running`);
    const fresh = ServiceProcess.spawn(old.spec, this.spawnOptions);
    this.processes[this.processes.indexOf(old)] = fresh;
    return fresh;
  }

  /** respawn, then wait until the new process answers /health with 200. */
  async respawnHealthy(name: ServiceName, options: WaitOptions = {}, instance = 0): Promise<ServiceProcess> {
    const fresh = this.respawn(name, instance);
    await waitUntilHealthy(fresh, options);
    return fresh;
  }

  /** Instance `instance` (0 for the first) of a service. */
  get(name: ServiceName, instance = 0): ServiceProcess {
    const service = this.services.find((s) => s.name === name && s.spec.instance === instance);
    if (!service) throw new Error(`${name} (instance ${instance + 1}) is not among the services started`);
    return service;
  }

  /**
   * Scales a service out by one: a new instance on `port` (default: the next in its block, see
   * REPLICA_PORT_STEP), in the same consumer group; resolves once it answers /health with 200.
   */
  async addInstance(name: ServiceName, port?: number, options: WaitOptions = {}): Promise<ServiceProcess> {
    const existing = this.instances(name);
    const first = existing[0];
    if (first === undefined) throw new Error(`${name} is not among the services started`);
    const instance = Math.max(...existing.map((service) => service.spec.instance)) + 1;
    const chosen = port ?? first.spec.port + instance * REPLICA_PORT_STEP;
    const spec = {
      ...first.spec,
      instance,
      label: `${name}#${instance + 1}`,
      port: chosen,
      url: `http://${first.spec.host}:${chosen}`,
    };
    const fresh = ServiceProcess.spawn(spec, this.spawnOptions);
    this.processes.push(fresh);
    await waitUntilHealthy(fresh, options);
    return fresh;
  }

  /**
   * Scales a service in by one: SIGTERM to that instance (SIGKILL after `graceMs`), which then
   * leaves the list; its partitions go to the instances that remain.
   */
  async removeInstance(name: ServiceName, instance: number, graceMs = 15_000): Promise<StopReport> {
    const service = this.get(name, instance);
    const report = await service.stop(graceMs);
    this.processes.splice(this.processes.indexOf(service), 1);
    return report;
  }

  /** Every instance of a service, first to last. */
  instances(name: ServiceName): readonly ServiceProcess[] {
    return this.services.filter((s) => s.name === name);
  }

  url(name: ServiceName): string {
    return this.get(name).spec.url;
  }

  /**
   * SIGTERM to every service at once, each given `graceMs` before SIGKILL; then the run's own API
   * key is deleted (npm start's is kept). Safe to call twice.
   */
  stop(graceMs = 15_000): Promise<StopReport[]> {
    this.stopping ??= Promise.all(this.services.map((service) => service.stop(graceMs))).then(
      async (reports) => {
        if (this.apiKey && this.ownKey)
          await removeToolingKey(this.spawnOptions.env, this.apiKey).catch(() => undefined);
        return reports;
      },
    );
    return this.stopping;
  }

  /** SIGKILL to every service still running (a second Ctrl-C). */
  kill(): void {
    for (const service of this.services) service.signal('SIGKILL');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * Starts the services (default: all five) as child processes and waits until each one's /health
 * answers 200. If one exits or stays unhealthy, stops them all and rejects with an error naming
 * each service that did not come up, with its last lines.
 */
export async function startServices(options: StartServicesOptions): Promise<RunningServices> {
  const specs = serviceSpecs(options);
  const taken = await Promise.all(specs.map((spec) => isPortTaken(spec.host, spec.port)));
  const busy = specs.filter((_, i) => taken[i]);
  if (busy.length > 0) {
    throw new Error(
      `port ${busy.map((s) => `${s.port} (${s.label})`).join(', ')} on ${busy[0]!.host} is taken: ` +
        'is the system already running (npm start in another terminal)? Stop it, or set ' +
        'GENSTREAM_STACK_PORT_OFFSET to move the stack and the services',
    );
  }
  await buildIfStale(specs);
  const services: ServiceProcess[] = [];
  const spawnOptions: SpawnOptions = { env: options.env, onLine: options.onLine };
  const withApi = specs.some((spec) => spec.name === 'generation' || spec.name === 'embedding-indexer');
  const apiKey =
    withApi && options.env.AUTH !== 'off' ? await ensureDevKey(options.env, options.apiKeyFile) : undefined;
  const running = new RunningServices(services, spawnOptions, apiKey, options.apiKeyFile === undefined);
  try {
    for (const spec of specs) {
      const service = ServiceProcess.spawn(spec, spawnOptions);
      services.push(service);
      options.onSpawned?.(service);
    }
    for (const [name, ms] of await waitAllHealthy(services, options)) running.readyMs.set(name, ms);
    return running;
  } catch (error) {
    await running.stop(options.stopGraceMs ?? 10_000);
    throw error;
  }
}

/**
 * Services run from their bundles (npm run build), built here first when a source changed since,
 * so `npm start`, the tests, the fault suite and the benchmarks always run the current code.
 */
async function buildIfStale(specs: readonly ServiceSpec[]): Promise<void> {
  if (!specs.some((spec) => spec.entry.endsWith('.js'))) return; // stand-ins run from source
  const result = await buildAll(repoRoot());
  if (result.built)
    progressFor('build')(`${result.entries.length} bundles built in ${(result.ms / 1000).toFixed(1)} s`);
}
