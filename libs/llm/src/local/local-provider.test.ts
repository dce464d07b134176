import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_MODEL_USED, LocalProvider } from './local-provider.js';

const PROMPT =
  'Kafka keeps events in partitions. Each partition is an ordered log of events. Consumers read a ' +
  'partition in order and commit their offsets. A consumer group shares the partitions of a topic.';

describe('LocalProvider', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers with an extractive summary, its model name and rough token counts', async () => {
    const provider = new LocalProvider();
    const result = await provider.generate({
      model: 'local',
      prompt: PROMPT,
      parameters: { systemPrompt: 'Be brief.', maxTokens: 20, temperature: null, topP: null },
    });
    expect(result.modelUsed).toBe(LOCAL_MODEL_USED);
    expect(PROMPT).toContain(result.output.split('. ')[0]);
    expect(result.usage).toEqual({
      promptTokens: 2 + PROMPT.split(' ').length,
      completionTokens: result.output.split(' ').length,
    });
    expect(result.usage.completionTokens).toBeLessThanOrEqual(20);
  });

  it('is deterministic whatever the sampling parameters', async () => {
    const provider = new LocalProvider();
    const a = await provider.generate({ model: 'local', prompt: PROMPT, parameters: { temperature: 0 } });
    const b = await provider.generate({
      model: 'local',
      prompt: PROMPT,
      parameters: { temperature: 1.5, topP: 0.1 },
    });
    expect(b).toEqual(a);
  });

  it('takes its simulated latency before answering', async () => {
    vi.useFakeTimers();
    const provider = new LocalProvider({ simulatedLatencyMs: 500 });
    let done = false;
    const answer = provider.generate({ model: 'local', prompt: PROMPT }).then((result) => {
      done = true;
      return result;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect((await answer).modelUsed).toBe(LOCAL_MODEL_USED);
  });

  it('stops waiting when the caller aborts', async () => {
    vi.useFakeTimers();
    const provider = new LocalProvider({ simulatedLatencyMs: 10_000 });
    const controller = new AbortController();
    const answer = provider.generate({ model: 'local', prompt: PROMPT, signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(answer).rejects.toThrow('shutting down');
  });

  it('refuses a negative latency', () => {
    expect(() => new LocalProvider({ simulatedLatencyMs: -1 })).toThrow(RangeError);
  });
});
