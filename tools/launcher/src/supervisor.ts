import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { LastLines, LineSplitter } from './output-lines.js';
import { repoRoot } from '@genstream/stack';
import type { ServiceName, ServiceSpec } from './services.js';

export type OutputStream = 'stdout' | 'stderr';

/**
 * Called for every line a service prints (raw: formatting is the listener's business), with the
 * label of the instance that printed it (its name, or `name#n` when it runs several times).
 */
export type OutputListener = (label: string, line: string, stream: OutputStream) => void;

export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the exit followed our stop(); false means it crashed or quit on its own. */
  readonly requested: boolean;
  /** Could not even be started (e.g. the node binary was not found). */
  readonly spawnError?: Error;
}

export interface StopReport {
  readonly name: ServiceName;
  /** The instance's label (see ServiceSpec.label). */
  readonly label: string;
  readonly pid: number;
  /** exited: after SIGTERM, in time; killed: SIGKILL after the grace period; gone: had exited before. */
  readonly outcome: 'exited' | 'killed' | 'gone';
  readonly exit: ServiceExit;
  readonly ms: number;
}

export interface SpawnOptions {
  /** The whole environment of the child (PORT and HOST are set from the spec on top). */
  readonly env: NodeJS.ProcessEnv;
  readonly onLine?: OutputListener;
  /** How many of its last lines to keep for error messages (default 40). */
  readonly keepLines?: number;
}

// What `tsx file.ts` does, minus tsx's wrapper process: the CLI would sit between us and the service
// and, relaying a SIGTERM, SIGKILL the service when its child does not confirm within 30 ms.
// Loading tsx's loader into node directly gives one process per service that gets our one SIGTERM.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const NODE_FLAGS = ['--disable-warning=TimeoutNegativeWarning', '--enable-source-maps'];
/**
 * A young generation of 2 MiB per semi-space, not V8's 16, and V8 tuned for size: objects of a
 * batch die young and are collected often in small steps, which keeps resident memory under load
 * below 100 MiB (peaks of 98-99 MiB against 121-135 MiB without, npm run bench:throughput). The
 * image's entrypoint passes the same flags (deploy/docker/Dockerfile).
 */
export const SERVICE_HEAP_FLAGS = ['--max-semi-space-size=2', '--optimize-for-size'];

/** The bundle every service runs after: OpenTelemetry when the OTEL_* variables ask for it. */
export const TRACING_PRELOAD = 'libs/tracing/dist/preload/register.js';

/** Node's flags for a service bundle in `root` (the repository, or /app in the image). */
export function serviceNodeFlags(root: string): string[] {
  return [...SERVICE_HEAP_FLAGS, `--import=${resolve(root, TRACING_PRELOAD)}`];
}

/** One service as a child process: its output, its last lines, its exit, and a bounded stop. */
export class ServiceProcess {
  readonly pid: number;
  readonly startedAt = Date.now();
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ServiceExit>;
  private readonly recent: LastLines;
  private exitInfo: ServiceExit | undefined;
  private stopRequested = false;
  private listeningAt: number | undefined;
  private stopping: Promise<StopReport> | undefined;

  private constructor(
    readonly spec: ServiceSpec,
    private readonly child: ChildProcess,
    options: SpawnOptions,
  ) {
    this.recent = new LastLines(options.keepLines ?? 40);
    this.pid = child.pid ?? -1;
    const lineHandler = (stream: OutputStream) => (line: string) => {
      this.recent.add(line);
      if (stream === 'stdout' && this.listeningAt === undefined && / listening on http/.test(line)) {
        this.listeningAt = Date.now();
      }
      options.onLine?.(spec.label, line, stream);
    };
    const out = new LineSplitter(lineHandler('stdout'));
    const err = new LineSplitter(lineHandler('stderr'));
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    this.exited = new Promise((resolve) => {
      child.once('error', (spawnError) => {
        if (child.pid !== undefined) return; // errors after a successful spawn end in 'close' too
        this.exitInfo = { code: null, signal: null, requested: this.stopRequested, spawnError };
        resolve(this.exitInfo);
      });
      child.once('close', (code, signal) => {
        out.flush();
        err.flush();
        this.exitInfo = { code, signal, requested: this.stopRequested };
        resolve(this.exitInfo);
      });
    });
  }

  /**
   * Starts `node services/<name>/dist/main.js` (a stand-in `.ts` through tsx) with PORT and HOST
   * from the spec.
   */
  static spawn(spec: ServiceSpec, options: SpawnOptions): ServiceProcess {
    const loader = spec.entry.endsWith('.ts') ? ['--import', TSX_LOADER] : serviceNodeFlags(repoRoot());
    const child = spawn(process.execPath, [...NODE_FLAGS, ...loader, spec.entry], {
      cwd: repoRoot(),
      env: { ...options.env, PORT: String(spec.port), HOST: spec.host },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches only the launcher, which then
      // stops every service with exactly one SIGTERM (a second one would cut a graceful shutdown).
      detached: true,
    });
    return new ServiceProcess(spec, child, options);
  }

  get name(): ServiceName {
    return this.spec.name;
  }

  /** Unique among the processes started together: `name`, or `name#n` for one of several. */
  get label(): string {
    return this.spec.label;
  }

  /** Undefined while it runs. */
  get exit(): ServiceExit | undefined {
    return this.exitInfo;
  }

  /** When it printed its "listening on" line, if it has. */
  get listeningSince(): number | undefined {
    return this.listeningAt;
  }

  lastLines(count?: number): string[] {
    return this.recent.last(count);
  }

  /** SIGTERM, then up to `graceMs` for it to finish its work and exit, then SIGKILL. Once only. */
  stop(graceMs = 15_000): Promise<StopReport> {
    this.stopping ??= this.terminate(graceMs);
    return this.stopping;
  }

  private async terminate(graceMs: number): Promise<StopReport> {
    const started = Date.now();
    const report = (outcome: StopReport['outcome'], exit: ServiceExit): StopReport => ({
      name: this.name,
      label: this.label,
      pid: this.pid,
      outcome,
      exit,
      ms: Date.now() - started,
    });
    if (this.exitInfo) return report('gone', this.exitInfo);
    this.stopRequested = true;
    this.signal('SIGTERM');
    const timer = sleep(graceMs, 'timeout' as const);
    const first = await Promise.race([this.exited, timer]);
    if (first !== 'timeout') return report('exited', first);
    this.signal('SIGKILL');
    return report('killed', await this.exited);
  }

  /** Signals the service's process group (the service and anything it started). */
  signal(signal: NodeJS.Signals): void {
    if (this.exitInfo || this.pid < 0) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

/** "exit code 1", "signal SIGKILL", "could not start: ...": how a process ended, in words. */
export function describeExit(exit: ServiceExit): string {
  if (exit.spawnError) return `could not start: ${exit.spawnError.message}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code ?? '?'}`;
}
