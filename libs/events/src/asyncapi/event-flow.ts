import type { EventName } from '../generated/events.js';

/** Which genstream services publish and consume an event (its operations in the AsyncAPI document). */
export interface EventFlow {
  readonly sentBy: readonly string[];
  readonly receivedBy: readonly string[];
  /** Who else publishes or reads it, in words. */
  readonly outside?: string;
}

/**
 * The flow of DESIGN.md section 1. The services declare the same in their handlers (`consume`)
 * and publishers (`publish`); event-flow.test.ts reads their sources so the two cannot drift.
 * Every consumer of a topic may dead-letter into `<topic>.dlq`.
 */
export const EVENT_FLOW: { readonly [N in EventName]: EventFlow } = {
  GenerationRequested: {
    sentBy: ['generation'],
    receivedBy: ['generation'],
    outside: 'Upstream producers publish requests too; generation also takes them on POST /v1/generations.',
  },
  ContentGenerated: {
    sentBy: ['generation'],
    receivedBy: ['metadata-writer', 'document-writer', 'cache-updater', 'embedding-indexer'],
  },
  ContentIndexed: {
    sentBy: ['embedding-indexer'],
    receivedBy: [],
    outside: 'For downstream teams: the content is searchable.',
  },
  GenerationFailed: { sentBy: ['generation'], receivedBy: ['cache-updater'] },
};
