// One interface for every language model genstream can call. The shapes match the
// GenerationParameters and TokenUsage records of the event schemas, so an event's fields pass
// through unchanged.

/** Sampling parameters; null or absent means the provider's default. */
export interface LlmParameters {
  readonly temperature?: number | null;
  /** Upper bound on the output's length, in tokens. */
  readonly maxTokens?: number | null;
  readonly topP?: number | null;
  readonly systemPrompt?: string | null;
}

export interface LlmRequest {
  /** Model name as requested; a ModelRouter picks the provider from it. */
  readonly model: string;
  readonly prompt: string;
  readonly parameters?: LlmParameters | null;
  /** Aborts the call; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Token counts; null when the provider does not report them. */
export interface LlmUsage {
  /** Prompt tokens, system prompt included. */
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
}

export interface LlmResult {
  readonly output: string;
  /** The model that actually answered, as the provider names it (e.g. a dated version). */
  readonly modelUsed: string;
  readonly usage: LlmUsage;
}

export interface LlmProvider {
  readonly name: string;
  /**
   * Failures are GenstreamErrors: retriable ones (provider down, timeout) may succeed later;
   * the others (request rejected, unknown model) never will.
   */
  generate(request: LlmRequest): Promise<LlmResult>;
}
