// A ContentGenerated as production would carry it, for the writers to write.
import type { CacheHit, CacheScope, ContentGenerated } from '@genstream/events';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import type { SyntheticCorpus } from '../synthetic-corpus.js';

const MODELS = [
  { requested: 'local', used: 'local-extractive-v1' },
  { requested: 'gpt-4o-mini', used: 'gpt-4o-mini-2024-07-18' },
  { requested: 'llama-3.1-8b', used: 'llama-3.1-8b-instruct' },
] as const;
const TENANTS = ['acme', 'globex', 'initech', null] as const;

/**
 * A ContentGenerated as production would carry it: varied titles, prompts and outputs (outputs of
 * 3-8 sentences), a few thousand users with some much more active than others, three models,
 * mostly fresh answers (NONE) with some cache hits, generated in the last minutes (so the response
 * cache entry is written, not skipped as expired).
 */
export function realisticEvent(corpus: SyntheticCorpus): ContentGenerated {
  const topic = corpus.topic();
  const model = corpus.pick(MODELS);
  const u = corpus.random();
  const userId = 1 + Math.floor(u * u * 5_000);
  const prompt = `${corpus.pick(['Write', 'Summarize', 'Draft', 'Explain'])}: ${corpus.text(1, 3, topic)}`;
  const output = corpus.text(3, 8, topic);
  const roll = corpus.random();
  const cacheHit: CacheHit = roll < 0.85 ? 'NONE' : roll < 0.97 ? 'EXACT' : 'SEMANTIC';
  const scopeRoll = corpus.random();
  const cacheScope: CacheScope = scopeRoll < 0.8 ? 'USER' : scopeRoll < 0.95 ? 'TENANT' : 'BYPASS';
  const latencyMs = cacheHit === 'NONE' ? corpus.int(300, 4_000) : corpus.int(2, 20);
  const requestedAt = Date.now() - corpus.int(0, 10 * 60_000);
  const request = aGenerationRequested({
    userId,
    title: corpus.title(topic),
    prompt,
    model: model.requested,
    requestedAt,
    tenant: corpus.pick(TENANTS),
    cacheScope,
    parameters: { temperature: corpus.pick([0.2, 0.7, 1]), maxTokens: 512, topP: null, systemPrompt: null },
  });
  return aContentGenerated(
    {
      modelUsed: model.used,
      output,
      cacheHit,
      generatedAt: requestedAt + latencyMs,
      latencyMs,
      usage: {
        promptTokens: Math.round(prompt.length / 4),
        completionTokens: Math.round(output.length / 4),
      },
    },
    request,
  );
}
