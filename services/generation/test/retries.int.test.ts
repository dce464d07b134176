import { contentIdOf } from '@genstream/events';
import { ProviderRejectedError, ProviderUnavailableError } from '@genstream/errors';
import type { ContentGenerated } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import type { LlmRequest, LlmResult } from '@genstream/llm';
import { consumerGroupId } from '@genstream/service';
import { eventually } from '@genstream/service-testing';
import { describe, expect, it } from 'vitest';
import { CountingModel } from './support/counting-model.js';
import { startGeneration } from './support/generation-app.js';

/** Fails calls for `prompt` with a retriable error the first `failures` times. */
class FlakyModel extends CountingModel {
  private failed = 0;

  constructor(
    private readonly prompt: string,
    private readonly failures: number,
  ) {
    super(0);
  }

  override async generate(request: LlmRequest): Promise<LlmResult> {
    if (request.prompt === this.prompt && this.failed < this.failures) {
      this.calls.push(request);
      this.failed++;
      throw new ProviderUnavailableError('the provider answered 503');
    }
    if (request.prompt.startsWith('rejected')) {
      this.calls.push(request);
      throw new ProviderRejectedError('the provider refused the request: content policy');
    }
    return super.generate(request);
  }
}

describe('provider failures through the real runtime', () => {
  it('retries a retriable failure after a pause; the rest of the batch is published at once', async () => {
    const model = new FlakyModel('flaky prompt', 2);
    await using app = await startGeneration('gen_retry', { model });
    const before = aGenerationRequested({ prompt: 'first prompt, fine' });
    const flaky = aGenerationRequested({ prompt: 'flaky prompt' });
    const after = aGenerationRequested({ prompt: 'last prompt, fine' });
    const rejected = aGenerationRequested({ prompt: 'rejected prompt' });

    await app.topics.publish('GenerationRequested', [before, flaky, after, rejected]);

    // Every record ends committed (none dead-lettered): before and after at once, the flaky one
    // after two failed attempts. after and rejected are read again with it (a commit cannot skip
    // the flaky record): after is republished identically from its flight, rejected fails again.
    await eventually(
      async () =>
        (await app.topics.committed(consumerGroupId(app.config, 'generation'), 'GenerationRequested')) === 4,
      'all four requests committed',
      20_000,
    );
    const sent = async (topic: string) => {
      const metrics = await (await fetch(`${app.service.url}/metrics`)).text();
      const line = metrics
        .split('\n')
        .find((l) => l.startsWith(`genstream_kafka_producer_records_sent_total{topic="${topic}"}`));
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const events = await app.topics.read('ContentGenerated', await sent(app.topics.topics.ContentGenerated));
    const byRequest = (id: string) => events.filter((event) => event.requestId === id);
    expect(byRequest(before.requestId)).toHaveLength(1);
    expect(byRequest(flaky.requestId)).toEqual([
      expect.objectContaining({ contentId: contentIdOf(flaky.requestId), cacheHit: 'NONE' }),
    ]);
    const afterEvents = byRequest(after.requestId);
    expect(afterEvents.length).toBeGreaterThanOrEqual(1);
    for (const event of afterEvents)
      expect(event).toEqual(afterEvents[0] satisfies ContentGenerated | undefined);

    const failures = await app.topics.read(
      'GenerationFailed',
      await sent(app.topics.topics.GenerationFailed),
    );
    expect(failures.length).toBeGreaterThanOrEqual(1);
    for (const failed of failures) {
      expect(failed).toMatchObject({
        requestId: rejected.requestId,
        reasonCode: 'PROVIDER_REJECTED',
        retriable: false,
      });
    }

    const promptsCalled = model.calls.map((call) => call.prompt);
    expect(promptsCalled.filter((prompt) => prompt === 'flaky prompt')).toHaveLength(3);
    expect(promptsCalled.filter((prompt) => prompt === 'last prompt, fine')).toHaveLength(1);
    expect(promptsCalled.filter((prompt) => prompt === 'first prompt, fine')).toHaveLength(1);

    const metrics = await (await fetch(`${app.service.url}/metrics`)).text();
    expect(metrics).not.toMatch(/records_dead_lettered_total\{[^}]*\} [1-9]/);
    expect(metrics).toContain('genstream_generation_model_calls_total{model="local",outcome="retriable"} 2');
  });
});
