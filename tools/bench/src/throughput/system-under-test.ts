// The two systems a throughput run compares, as the run and the poller see them.
import type { GenerationRequested } from '@genstream/events';
import type { Collection, Document } from 'mongodb';
import type { SystemName } from './results.js';

/** Where one system writes. */
export interface StoreTarget {
  /** The content table, schema-qualified when not in the search path. */
  readonly contentTable: string;
  readonly documents: Collection<Document>;
  readonly statusKey: (requestId: string) => string;
  readonly vectorSet: string;
  /**
   * Epoch ms MongoDB acknowledged the document of each of these requests, for those it has.
   * FerretDB cannot be polled precisely (see waitMaterialized), so this stands in for "seen".
   */
  mongoAcknowledged(items: readonly Tracked[]): Promise<Map<string, number>>;
}

/** A request of a run, with the content id the pipeline derives from it. */
export interface Tracked {
  readonly requestId: string;
  readonly contentId: string;
}

/** A system under test: how a worker hands it one request, where it writes, how to remove that. */
export interface SystemUnderTest {
  readonly name: SystemName;
  readonly target: StoreTarget;
  /** Does the system's part for one request; resolves when the worker is free again. */
  handle(request: GenerationRequested): Promise<void>;
  /** Epoch ms its intermediate event was read back (genstream's ContentGenerated). */
  generatedAt?(requestId: string): number | undefined;
  /**
   * Removes everything this system wrote for these requests. `settled`: every one of them is in
   * all four stores, nothing more will come (false after a failed run).
   */
  remove(requests: readonly GenerationRequested[], settled: boolean): Promise<void>;
}
