import { LocalHashedEmbedder } from '@genstream/embeddings';
import { ContractViolationError, ProviderUnavailableError, VectorSetSwitchedError } from '@genstream/errors';
import type { EventInputTypes } from '@genstream/events';
import { aContentGenerated } from '@genstream/events/testing';
import { silentLogger } from '@genstream/kafka';
import { recordOf } from '@genstream/kafka/testing';
import { describe, expect, it } from 'vitest';
import type { VectorItem } from '../repositories/vector-index-repository.js';
import {
  ContentIndexer,
  embeddingText,
  type IndexedPublisher,
  type VectorSetAlias,
  type VectorStore,
  vectorItemOf,
} from './content-indexer.service.js';

const config = { REDIS_KEY_PREFIX: '' };
const unaliased: VectorSetAlias = {
  current: async () => ({ set: 'genstream:vs:content', version: 1, aliased: false }),
};

function fakes(refuse: Set<string> = new Set()) {
  const embedder = new LocalHashedEmbedder({ dimension: 16 });
  const embedCalls: string[][] = [];
  const embedding = {
    name: embedder.name,
    dimension: embedder.dimension,
    embed: (texts: readonly string[]) => {
      embedCalls.push([...texts]);
      return embedder.embed(texts);
    },
  };
  const added: VectorItem[][] = [];
  const store: VectorStore = {
    async addBatch(items) {
      added.push([...items]);
      const failed = items
        .filter((item) => refuse.has(item.contentId))
        .map((item) => ({
          contentId: item.contentId,
          error: new ContractViolationError(`refused ${item.contentId}`),
        }));
      return { added: items.length - failed.length, updated: 0, failed };
    },
  };
  const published: EventInputTypes['ContentIndexed'][][] = [];
  const publisher: IndexedPublisher = {
    async publishMany(_name, events) {
      published.push([...events]);
    },
  };
  return { embedding, embedCalls, store, added, publisher, published };
}

describe('ContentIndexer', () => {
  it('embeds a batch in one call, adds it in one call, and publishes ContentIndexed in one call', async () => {
    const events = [aContentGenerated(), aContentGenerated(), aContentGenerated()];
    const f = fakes();
    const indexer = new ContentIndexer(f.embedding, f.store, unaliased, f.publisher, config, silentLogger);
    // A redelivered copy inside the batch is embedded once.
    const outcome = await indexer.index(
      [...events, events[0]!].map((event, offset) => recordOf('ContentGenerated', event, offset)),
    );
    expect(outcome).toEqual({ failed: [] });
    expect(f.embedCalls).toEqual([events.map(embeddingText)]);
    expect(f.added).toHaveLength(1);
    expect(f.added[0]![0]).toMatchObject({
      contentId: events[0]!.contentId,
      attributes: { userId: events[0]!.userId, model: events[0]!.modelUsed, title: events[0]!.title },
      output: events[0]!.output,
    });
    expect(f.published).toHaveLength(1);
    expect(f.published[0]).toEqual(
      events.map((event) => ({
        contentId: event.contentId,
        requestId: event.requestId,
        userId: event.userId,
        vectorSet: 'genstream:vs:content',
        dimension: 16,
        embeddingModel: 'local-hashed-v1',
        indexedAt: expect.any(Number) as unknown,
        tenant: event.tenant,
        correlationId: event.correlationId,
      })),
    );
  });

  it('fails the records of refused items and publishes only the rest', async () => {
    const events = [aContentGenerated(), aContentGenerated()];
    const f = fakes(new Set([events[1]!.contentId]));
    const outcome = await new ContentIndexer(
      f.embedding,
      f.store,
      unaliased,
      f.publisher,
      config,
      silentLogger,
    ).index(events.map((event, offset) => recordOf('ContentGenerated', event, offset)));
    expect(outcome.failed.map((failure) => failure.record.offset)).toEqual(['1']);
    expect(f.published[0]!.map((event) => event.contentId)).toEqual([events[0]!.contentId]);
  });

  it('throws a provider outage before writing anything', async () => {
    const f = fakes();
    const down = { ...f.embedding, embed: () => Promise.reject(new ProviderUnavailableError('429')) };
    await expect(
      new ContentIndexer(down, f.store, unaliased, f.publisher, config, silentLogger).index([
        recordOf('ContentGenerated', aContentGenerated(), 0),
      ]),
    ).rejects.toThrow(ProviderUnavailableError);
    expect(f.added).toEqual([]);
    expect(f.published).toEqual([]);
  });
});

describe('ContentIndexer after a reindex', () => {
  const aliasTo = (dimension: number): VectorSetAlias => ({
    current: async () => ({
      set: 'genstream:vs:content:v2',
      version: 2,
      aliased: true,
      embedder: { name: 'local-hashed-v1', dimension, spec: `local:${dimension}` },
    }),
  });

  it('writes the set the alias names, guarded by it, and says so in ContentIndexed', async () => {
    const f = fakes();
    const targets: unknown[] = [];
    const store: VectorStore = {
      addBatch: (items, target) => {
        targets.push(target);
        return f.store.addBatch(items, target);
      },
    };
    await new ContentIndexer(f.embedding, store, aliasTo(16), f.publisher, config, silentLogger).index([
      recordOf('ContentGenerated', aContentGenerated(), 0),
    ]);
    expect(targets).toEqual([expect.objectContaining({ set: 'genstream:vs:content:v2', aliased: true })]);
    expect(f.published[0]![0]!.vectorSet).toBe('genstream:vs:content:v2');
  });

  it('waits (retriable) rather than write vectors of another embedder into the aliased set', async () => {
    const f = fakes();
    const indexing = new ContentIndexer(
      f.embedding,
      f.store,
      aliasTo(384),
      f.publisher,
      config,
      silentLogger,
    );
    const failure = indexing.index([recordOf('ContentGenerated', aContentGenerated(), 0)]);
    await expect(failure).rejects.toThrow(VectorSetSwitchedError);
    await expect(failure).rejects.toThrow(/built by local:384 .* embeds with local-hashed-v1, 16 dimensions/);
    expect(f.added).toEqual([]);
  });
});

describe('vectorItemOf', () => {
  it('maps a content to its vector set element: the vector, the filterable attributes, the text', () => {
    const event = aContentGenerated();
    const vector = new Float32Array([1, 0]);
    const item = vectorItemOf(event, vector);
    expect(item.vector).toBe(vector);
    expect([item.contentId, item.output]).toEqual([event.contentId, event.output]);
    const { userId, modelUsed, generatedAt, title, tenant } = event;
    expect(Object.entries(item.attributes)).toEqual(
      Object.entries({ userId, model: modelUsed, generatedAt, title, tenant }),
    );
  });
});
