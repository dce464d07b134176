import { ConfigError, UnknownModelError } from '@genstream/errors';
import type { LlmProvider, LlmRequest, LlmResult } from './llm-provider.js';
import { LocalProvider, type LocalProviderOptions } from './local/local-provider.js';
import { OpenAiChatProvider, type OpenAiChatProviderOptions } from './openai/openai-chat-provider.js';

export interface ModelRoute {
  readonly provider: LlmProvider;
  /** Model names this provider answers, exactly as requested. */
  readonly models?: readonly string[];
  /** Prefixes of the model names it answers, e.g. `gpt-`; `''` takes every model nobody else does. */
  readonly prefixes?: readonly string[];
}

/** The model name the built-in offline provider answers. */
export const LOCAL_MODEL = 'local';

/**
 * Picks the provider of a request by its model name: an exact name first, else the longest
 * matching prefix, so the answer never depends on the order routes were listed in. Is itself an
 * LlmProvider, so callers hold one object. Unknown models fail with UnknownModelError.
 */
export class ModelRouter implements LlmProvider {
  readonly name = 'router';
  private readonly exact = new Map<string, LlmProvider>();
  /** Longest first. */
  private readonly prefixes: (readonly [string, LlmProvider])[] = [];

  constructor(routes: readonly ModelRoute[]) {
    const problems: string[] = [];
    for (const { provider, models = [], prefixes = [] } of routes) {
      for (const model of models) {
        if (model === '') problems.push(`${provider.name}: an empty model name`);
        else if (this.exact.has(model)) problems.push(`model "${model}" is routed twice`);
        else this.exact.set(model, provider);
      }
      for (const prefix of prefixes) {
        if (this.prefixes.some(([known]) => known === prefix))
          problems.push(`prefix "${prefix}" is routed twice`);
        else this.prefixes.push([prefix, provider]);
      }
    }
    if (problems.length > 0) {
      throw new ConfigError(`invalid model routes: ${problems.join('; ')}`, { details: { problems } });
    }
    this.prefixes.sort(([a], [b]) => b.length - a.length || (a < b ? -1 : 1));
  }

  /** Whether some provider answers `model`; the generation service validates requests with it. */
  knows(model: string): boolean {
    return this.find(model) !== undefined;
  }

  /** The provider for `model`; UnknownModelError when there is none. */
  providerFor(model: string): LlmProvider {
    const provider = this.find(model);
    if (provider) return provider;
    const known = [...this.exact.keys(), ...this.prefixes.map(([prefix]) => `${prefix}*`)];
    throw new UnknownModelError(
      `no provider serves the model "${model}" (known: ${known.join(', ') || 'none'})`,
      {
        details: { model, known },
      },
    );
  }

  generate(request: LlmRequest): Promise<LlmResult> {
    // Resolved before the call so that an unknown model rejects rather than throws synchronously.
    return Promise.resolve().then(() => this.providerFor(request.model).generate(request));
  }

  private find(model: string): LlmProvider | undefined {
    return this.exact.get(model) ?? this.prefixes.find(([prefix]) => model.startsWith(prefix))?.[1];
  }
}

export interface ModelRouterConfig {
  /** The built-in provider, answering the model `local`; `false` leaves it out. */
  readonly local?: LocalProviderOptions | false;
  /** An OpenAI-compatible endpoint and the model names sent to it. */
  readonly openai?: {
    readonly provider: OpenAiChatProviderOptions;
    /** Exact model names; the aliases in `provider.models` are included without listing them. */
    readonly models?: readonly string[];
    readonly prefixes?: readonly string[];
  };
}

/** The usual routing: `local` to the built-in provider, the configured names to the endpoint. */
export function createModelRouter(config: ModelRouterConfig = {}): ModelRouter {
  const routes: ModelRoute[] = [];
  if (config.local !== false) {
    routes.push({ provider: new LocalProvider(config.local), models: [LOCAL_MODEL] });
  }
  if (config.openai) {
    const { provider, models = [], prefixes = [] } = config.openai;
    const names = [...new Set([...models, ...Object.keys(provider.models ?? {})])];
    if (names.length === 0 && prefixes.length === 0) {
      throw new ConfigError(
        `the ${provider.name ?? 'openai'} provider serves no model: list its models or prefixes`,
      );
    }
    routes.push({ provider: new OpenAiChatProvider(provider), models: names, prefixes });
  }
  return new ModelRouter(routes);
}
