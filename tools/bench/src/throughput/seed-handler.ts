// The baseline: the seed tutorial's synchronous handler. Per request, each step awaited before the
// next: generate, PostgreSQL, MongoDB, Redis, the vector set. Its event and every Redis write are
// the product's own code (generation-events, ResponseCacheRepository, VectorIndexRepository), so
// the baseline differs from genstream only in how the work is scheduled, not in what it writes.
import { toContentDocument } from '@genstream/document-writer';
import { embeddingText, vectorItemOf } from '@genstream/embedding-indexer';
import { LocalHashedEmbedder } from '@genstream/embeddings';
import { contentIdOf, type ContentGenerated, type GenerationRequested } from '@genstream/events';
import { contentGenerated } from '@genstream/generation';
import type { StoreUrls } from '@genstream/launcher';
import { LocalProvider } from '@genstream/llm';
import { cacheUpdaterTtls } from '../store-defaults.js';
import { SeedStores } from './seed-stores.js';
import type { StoreTarget, SystemUnderTest } from './system-under-test.js';

// One statement each, as a handler written request by request does it.
const UPSERT_USER = `
INSERT INTO users (id, first_seen_at, last_seen_at) VALUES ($1, $2, $2)
ON CONFLICT (id) DO UPDATE SET last_seen_at = greatest(users.last_seen_at, excluded.last_seen_at)`;

const INSERT_CONTENT = `
INSERT INTO ai_generated_content (
  content_id, request_id, user_id, model_id, title, model_used, requested_model, prompt, output,
  cache_hit, prompt_tokens, completion_tokens, latency_ms, requested_at, generated_at
) VALUES ($1, $2, $3, (SELECT id FROM models WHERE name = $4), $5, $4, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (content_id) DO NOTHING`;

export class SeedHandler implements SystemUnderTest {
  readonly name = 'baseline';
  private readonly model = new LocalProvider();
  private readonly embedder = new LocalHashedEmbedder();
  private readonly ttls = cacheUpdaterTtls();

  private constructor(private readonly stores: SeedStores) {}

  static async open(urls: StoreUrls, tag: string, concurrency: number): Promise<SeedHandler> {
    return new SeedHandler(await SeedStores.open(urls, tag, concurrency));
  }

  get target(): StoreTarget {
    return this.stores.target;
  }

  async handle(request: GenerationRequested): Promise<void> {
    const event = await this.generate(request);
    await this.writePostgres(event);
    await this.stores.documents.insertOne(toContentDocument(event));
    this.stores.documentWritten(event.requestId);
    await this.stores.responses.writeGenerated([event], this.ttls);
    const [vector] = await this.embedder.embed([embeddingText(event)]);
    const { failed } = await this.stores.vectors.addBatch([vectorItemOf(event, vector!)]);
    if (failed.length > 0) throw failed[0]!.error;
  }

  /** The model's answer as the generation service reports a fresh one (cacheHit NONE). */
  private async generate(request: GenerationRequested): Promise<ContentGenerated> {
    const began = Date.now();
    const answer = await this.model.generate({
      model: request.model,
      prompt: request.prompt,
      parameters: request.parameters,
    });
    const generatedAt = Date.now();
    const stored = {
      requestId: request.requestId,
      contentId: contentIdOf(request.requestId),
      output: answer.output,
      modelUsed: answer.modelUsed,
      generatedAt,
      usage: answer.usage,
      latencyMs: generatedAt - began,
    };
    return contentGenerated(request, stored, generatedAt, generatedAt - began);
  }

  private async writePostgres(event: ContentGenerated): Promise<void> {
    const at = new Date(event.generatedAt).toISOString();
    await this.stores.pool.query(UPSERT_USER, [event.userId, at]);
    await this.stores.pool.query(INSERT_CONTENT, [
      event.contentId,
      event.requestId,
      event.userId,
      event.modelUsed,
      event.title,
      event.model,
      event.prompt,
      event.output,
      event.cacheHit,
      event.usage.promptTokens,
      event.usage.completionTokens,
      event.latencyMs,
      new Date(event.requestedAt).toISOString(),
      at,
    ]);
  }

  remove(requests: readonly GenerationRequested[]): Promise<void> {
    return this.stores.remove(requests);
  }

  drop(): Promise<void> {
    return this.stores.drop();
  }
}
