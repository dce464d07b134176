import { ProviderRejectedError } from '@genstream/errors';
import { JsonPostClient, type HttpClientOptions } from '../http/json-post-client.js';
import type { LlmProvider, LlmRequest, LlmResult } from '../llm-provider.js';

export interface OpenAiChatProviderOptions extends HttpClientOptions {
  /** Names the provider in logs and errors; default `openai`. */
  readonly name?: string;
  /** The API root, e.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1` (Ollama). */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Requested model name → the name sent to the endpoint, e.g. `{ fast: 'gpt-4o-mini' }`. */
  readonly models?: Readonly<Record<string, string>>;
  /**
   * Sent for every requested name not in `models`, e.g. the one model an Ollama or vLLM server
   * serves. By default the requested name is sent unchanged.
   */
  readonly defaultModel?: string;
}

interface ChatCompletion {
  model?: unknown;
  choices?: { message?: { content?: unknown; refusal?: unknown } }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, LM Studio): one user
 * message, after the system prompt when there is one; unset parameters are left to the server.
 */
export class OpenAiChatProvider implements LlmProvider {
  readonly name: string;
  private readonly client: JsonPostClient;
  private readonly models: Readonly<Record<string, string>>;
  private readonly defaultModel: string | undefined;

  constructor(options: OpenAiChatProviderOptions) {
    this.name = options.name ?? 'openai';
    this.client = new JsonPostClient({ ...options, label: `${this.name} chat completions` });
    this.models = { ...options.models };
    this.defaultModel = options.defaultModel;
  }

  /** The model name sent to the endpoint for a requested one. */
  upstreamModel(model: string): string {
    return Object.hasOwn(this.models, model) ? this.models[model]! : (this.defaultModel ?? model);
  }

  async generate(request: LlmRequest): Promise<LlmResult> {
    const parameters = request.parameters ?? {};
    const model = this.upstreamModel(request.model);
    const messages = [
      ...(parameters.systemPrompt ? [{ role: 'system', content: parameters.systemPrompt }] : []),
      { role: 'user', content: request.prompt },
    ];
    const body = {
      model,
      messages,
      ...(parameters.temperature != null && { temperature: parameters.temperature }),
      ...(parameters.maxTokens != null && { max_tokens: parameters.maxTokens }),
      ...(parameters.topP != null && { top_p: parameters.topP }),
    };
    const answer = (await this.client.post('/chat/completions', body, request.signal)) as ChatCompletion;

    const message = Array.isArray(answer.choices) ? answer.choices[0]?.message : undefined;
    if (typeof message?.content !== 'string') {
      const refusal = typeof message?.refusal === 'string' ? `: refused: ${message.refusal}` : '';
      throw new ProviderRejectedError(
        `${this.name} chat completions at ${this.client.baseUrl} answered without message content${refusal}`,
        { details: { model } },
      );
    }
    return {
      output: message.content,
      modelUsed: typeof answer.model === 'string' && answer.model !== '' ? answer.model : model,
      usage: {
        promptTokens: tokenCount(answer.usage?.prompt_tokens),
        completionTokens: tokenCount(answer.usage?.completion_tokens),
      },
    };
  }
}

function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}
