import type { ServiceProcess } from '@genstream/launcher';

/**
 * The services this benchmark started, stopped whatever happens: by the caller's clean-up (SIGTERM,
 * bounded wait), and, should the process exit first, with SIGKILL on its way out: they run in
 * process groups of their own and would otherwise outlive it.
 */
export class SpawnGuard implements AsyncDisposable {
  private readonly processes: ServiceProcess[] = [];
  private readonly onExit = () => {
    for (const service of this.processes) service.signal('SIGKILL');
  };

  constructor() {
    process.on('exit', this.onExit);
  }

  spawned(service: ServiceProcess): void {
    this.processes.push(service);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.processes.map((service) => service.stop(10_000)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll();
    process.off('exit', this.onExit);
  }
}
