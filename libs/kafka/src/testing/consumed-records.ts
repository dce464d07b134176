import { TOPICS } from '@genstream/events';
import type { ConsumedRecord } from '../consumed-record.js';

/** Where a test record sits and what it carries besides its event; each has a plain default. */
export interface RecordPlace {
  /** Default: the event's contract topic (TOPICS), else the name itself. */
  readonly topic?: string;
  readonly partition?: number;
  /** Default: the event's requestId, as the publisher keys records; null for an event without one. */
  readonly key?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timestamp?: number;
}

/**
 * A decoded record of `event` at `offset`, as the runtime hands it to a batch handler, for unit
 * tests of the services that handle batches. Pass `name` as a literal, so the record fits the
 * handler's union of records (ConsumedRecordOf).
 */
export function recordOf<N extends string, E>(
  name: N,
  event: E,
  offset: number,
  place: RecordPlace = {},
): ConsumedRecord<E, N> {
  return {
    name,
    event,
    key: place.key === undefined ? requestIdOf(event) : place.key,
    headers: place.headers ?? {},
    topic: place.topic ?? topicOf(name),
    partition: place.partition ?? 0,
    offset: String(offset),
    timestamp: place.timestamp ?? 0,
  };
}

function topicOf(name: string): string {
  return Object.hasOwn(TOPICS, name) ? TOPICS[name as keyof typeof TOPICS] : name;
}

function requestIdOf(event: unknown): string | null {
  const requestId = (event as { readonly requestId?: unknown } | null)?.requestId;
  return typeof requestId === 'string' ? requestId : null;
}
