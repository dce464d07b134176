import type { ServerName, StackConfig, paths } from './config.js';
import type { PidRecord } from './processes.js';
import type { Progress } from './progress.js';

export interface ServerContext {
  readonly config: StackConfig;
  readonly paths: ReturnType<typeof paths>;
  readonly progress: Progress;
}

/** One server of the stack: how to reach it, and how to install and start a private copy of it. */
export interface ServerDefinition {
  readonly name: ServerName;
  /** Product name shown in tables, e.g. "Apache Kafka". */
  readonly product: string;
  /** Address clients use for the local copy (the value of its environment variable). */
  localUrl(config: StackConfig): string;
  /** Version of the copy `install` provides, shown when the server itself does not report one. */
  readonly localVersion?: string;
  /**
   * Asks the server something only a working server can answer (within a few seconds); resolves
   * to the version it reports (undefined when the protocol has no way to say), rejects when it
   * does not answer. Used for local and external servers alike.
   */
  probe(url: string): Promise<string | undefined>;
  /** Installs whatever is missing. Cached: when everything is in place it downloads nothing. */
  install(context: ServerContext): Promise<void>;
  /**
   * Prepares the data folder on first use, starts the server detached and returns its pid record,
   * or the records of its processes when it runs several (processCount); those already running
   * are kept, only the others started.
   */
  start(context: ServerContext): Promise<PidRecord | readonly PidRecord[]>;
  /** How many processes a local copy runs: 1 unless said (a Kafka cluster runs one per node). */
  processCount?(config: StackConfig): number;
  /**
   * Puts a local copy that answers into the state genstream expects (idempotent; run on every `up`).
   * Never called for an external server: the stack does not change a server it did not start.
   */
  configure?(url: string): Promise<void>;
  /** The signal that makes this server shut down cleanly and promptly. */
  readonly stopSignal: NodeJS.Signals;
  /** How long a cold start may take before `up` gives up. */
  readonly startTimeoutMs: number;
}
