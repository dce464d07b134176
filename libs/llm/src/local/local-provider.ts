import { sleep } from '@genstream/errors';
import type { LlmProvider, LlmRequest, LlmResult } from '../llm-provider.js';
import { summarize } from './summarize.js';
import { countTokens } from './text.js';

export interface LocalProviderOptions {
  /** Added to every answer, to stand in for a real model's latency in benchmarks; default 0. */
  readonly simulatedLatencyMs?: number;
}

/** The model name LocalProvider reports; bump the version whenever its output changes. */
export const LOCAL_MODEL_USED = 'local-extractive-v1';

/**
 * The built-in provider: no network, no model, an extractive summary of the prompt (see
 * summarize). Deterministic, so cached answers and tests stay valid. Temperature, topP and the
 * system prompt do not change the output; maxTokens bounds it in rough tokens.
 */
export class LocalProvider implements LlmProvider {
  readonly name = 'local';
  private readonly latencyMs: number;

  constructor(options: LocalProviderOptions = {}) {
    this.latencyMs = options.simulatedLatencyMs ?? 0;
    if (!Number.isFinite(this.latencyMs) || this.latencyMs < 0) {
      throw new RangeError(`simulatedLatencyMs must be a non-negative number, got ${this.latencyMs}`);
    }
  }

  async generate(request: LlmRequest): Promise<LlmResult> {
    const { prompt, parameters, signal } = request;
    signal?.throwIfAborted();
    const output = summarize(prompt, { maxTokens: parameters?.maxTokens });
    await sleep(this.latencyMs, signal);
    return {
      output,
      modelUsed: LOCAL_MODEL_USED,
      usage: {
        promptTokens: countTokens(parameters?.systemPrompt ?? '') + countTokens(prompt),
        completionTokens: countTokens(output),
      },
    };
  }
}
