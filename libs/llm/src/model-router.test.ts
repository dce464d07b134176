import { describe, expect, it } from 'vitest';
import type { LlmProvider, LlmRequest } from './llm-provider.js';
import { LocalProvider } from './local/local-provider.js';
import { ModelRouter, createModelRouter } from './model-router.js';
import { OpenAiChatProvider } from './openai/openai-chat-provider.js';

function fakeProvider(name: string): LlmProvider {
  return {
    name,
    generate: async (request: LlmRequest) => ({
      output: `${name} answered ${request.model}`,
      modelUsed: request.model,
      usage: { promptTokens: null, completionTokens: null },
    }),
  };
}

describe('ModelRouter', () => {
  const local = fakeProvider('local');
  const openai = fakeProvider('openai');
  const ollama = fakeProvider('ollama');
  const router = new ModelRouter([
    { provider: local, models: ['local'] },
    { provider: openai, models: ['gpt-4o-mini'], prefixes: ['gpt-'] },
    { provider: ollama, models: ['gpt-oss-20b'], prefixes: ['gpt-oss-', 'llama'] },
  ]);

  it('prefers an exact name, then the longest prefix', () => {
    expect(router.providerFor('local')).toBe(local);
    expect(router.providerFor('gpt-4o-mini')).toBe(openai);
    expect(router.providerFor('gpt-4.1')).toBe(openai);
    expect(router.providerFor('gpt-oss-20b')).toBe(ollama);
    expect(router.providerFor('gpt-oss-120b')).toBe(ollama);
    expect(router.providerFor('llama3.2')).toBe(ollama);
  });

  it('knows which models it serves, and rejects the others permanently', async () => {
    expect(router.knows('llama3')).toBe(true);
    expect(router.knows('Local')).toBe(false);
    expect(router.knows('claude')).toBe(false);
    await expect(router.generate({ model: 'claude', prompt: 'p' })).rejects.toMatchObject({
      code: 'MODEL_UNKNOWN',
      retriable: false,
      details: {
        model: 'claude',
        known: ['local', 'gpt-4o-mini', 'gpt-oss-20b', 'gpt-oss-*', 'llama*', 'gpt-*'],
      },
    });
  });

  it('passes the request on to the chosen provider', async () => {
    await expect(router.generate({ model: 'gpt-4.1', prompt: 'p' })).resolves.toMatchObject({
      output: 'openai answered gpt-4.1',
    });
  });

  it('refuses routes that send one model to two providers', () => {
    expect(
      () =>
        new ModelRouter([
          { provider: local, models: ['m'], prefixes: ['x'] },
          { provider: openai, models: ['m', ''], prefixes: ['x'] },
        ]),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: {
          problems: [
            'model "m" is routed twice',
            'openai: an empty model name',
            'prefix "x" is routed twice',
          ],
        },
      }),
    );
  });

  it("lets a '' prefix take every model nobody else serves", () => {
    const catchAll = new ModelRouter([
      { provider: local, models: ['local'] },
      { provider: openai, prefixes: [''] },
    ]);
    expect(catchAll.providerFor('local')).toBe(local);
    expect(catchAll.providerFor('anything')).toBe(openai);
  });
});

describe('createModelRouter', () => {
  it('routes local to the built-in provider and configured names to the endpoint', () => {
    const router = createModelRouter({
      local: { simulatedLatencyMs: 0 },
      openai: {
        provider: { baseUrl: 'http://127.0.0.1:1/v1', models: { fast: 'llama3.2:1b' } },
        models: ['gpt-4o-mini'],
        prefixes: ['qwen'],
      },
    });
    expect(router.providerFor('local')).toBeInstanceOf(LocalProvider);
    for (const model of ['fast', 'gpt-4o-mini', 'qwen2.5']) {
      expect(router.providerFor(model)).toBeInstanceOf(OpenAiChatProvider);
    }
    expect(router.knows('gpt-4.1')).toBe(false);
  });

  it('answers local requests offline by default, and can leave local out', async () => {
    const result = await createModelRouter().generate({ model: 'local', prompt: 'Offline answers work.' });
    expect(result).toMatchObject({ output: 'Offline answers work.', modelUsed: 'local-extractive-v1' });
    expect(createModelRouter({ local: false }).knows('local')).toBe(false);
  });

  it('refuses an endpoint that would serve no model', () => {
    expect(() => createModelRouter({ openai: { provider: { baseUrl: 'http://127.0.0.1:1/v1' } } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
