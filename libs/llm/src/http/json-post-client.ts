import {
  DependencyTimeoutError,
  ProviderRejectedError,
  ProviderUnavailableError,
  backoffDelay,
  sleep,
} from '@genstream/errors';
import { retryAfterMs } from './retry-after.js';
import { Semaphore } from './semaphore.js';

// The one HTTP path of every OpenAI-compatible provider (chat completions, embeddings): a JSON POST
// with a timeout per attempt, retries with backoff, and a limit on calls in flight. It turns every
// final failure into a typed error, retriable or not, that never carries the API key.

export interface HttpClientOptions {
  /** Per attempt, reading the answer included. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, for network errors, timeouts, 408, 409, 429 and 5xx. */
  readonly maxRetries?: number;
  /** Ceiling of the first retry's random delay; it doubles on each retry up to `backoffMaxMs`. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /**
   * A server asking (Retry-After) for a longer wait than this is not waited for: the call fails at
   * once with a retriable error, so the caller can pause instead of holding a slot for minutes.
   */
  readonly maxRetryAfterMs?: number;
  /** Calls in flight at once (retries and their waits included); the rest queue in order. */
  readonly maxConcurrent?: number;
  /** Told about each retry before its wait, e.g. to log it. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Source of the backoff jitter, in [0, 1); tests pass a fixed one. */
  readonly random?: () => number;
}

export interface JsonPostClientOptions extends HttpClientOptions {
  /** E.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`; paths are appended to it. */
  readonly baseUrl: string;
  /** Sent as a bearer token when set. Never appears in errors or retry events. */
  readonly apiKey?: string;
  /** Names the dependency in error messages, e.g. `chat completions`. */
  readonly label: string;
}

export interface RetryEvent {
  readonly url: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
  readonly status?: number;
}

/** Why an attempt failed in a way worth another try. */
interface RetriableFailure {
  readonly reason: string;
  readonly timedOut: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

const DEFAULTS = {
  timeoutMs: 60_000,
  maxRetries: 2,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  maxRetryAfterMs: 30_000,
  maxConcurrent: 4,
};

export class JsonPostClient {
  readonly baseUrl: string;
  private readonly label: string;
  private readonly settings: typeof DEFAULTS;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private readonly random: (() => number) | undefined;
  private readonly limiter: Semaphore;
  // Private fields: logging or inspecting the client never shows the key.
  readonly #headers: Record<string, string>;
  readonly #apiKey: string | undefined;

  constructor(options: JsonPostClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.label = options.label;
    this.onRetry = options.onRetry;
    this.random = options.random;
    this.settings = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
      backoffBaseMs: options.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
      backoffMaxMs: options.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
      maxConcurrent: options.maxConcurrent ?? DEFAULTS.maxConcurrent,
    };
    this.#apiKey = options.apiKey || undefined;
    this.#headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.#apiKey) this.#headers.authorization = `Bearer ${this.#apiKey}`;
    this.limiter = new Semaphore(this.settings.maxConcurrent);
  }

  /**
   * POSTs `body` as JSON to `baseUrl + path` and returns the parsed JSON answer. Throws
   * DependencyTimeoutError or ProviderUnavailableError (retriable) once retries are spent,
   * ProviderRejectedError (not retriable) for other 4xx answers and malformed bodies, and the
   * signal's reason, unchanged, when the caller aborts.
   */
  post(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    const payload = JSON.stringify(body);
    return this.limiter.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.attempt(url, payload, signal);
        if (!('reason' in outcome)) return outcome.body;
        const waitAsked = outcome.retryAfterMs;
        if (attempt > this.settings.maxRetries || (waitAsked ?? 0) > this.settings.maxRetryAfterMs) {
          throw this.giveUp(url, outcome, attempt);
        }
        const delayMs = waitAsked ?? backoffDelay(attempt - 1, this.backoff, this.random);
        this.onRetry?.({ url, attempt, delayMs, reason: outcome.reason, status: outcome.status });
        await sleep(delayMs, signal);
      }
    }, signal);
  }

  private get backoff() {
    return { baseMs: this.settings.backoffBaseMs, maxMs: this.settings.backoffMaxMs };
  }

  private async attempt(
    url: string,
    payload: string,
    signal: AbortSignal | undefined,
  ): Promise<{ body: unknown } | RetriableFailure> {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: this.#headers,
        body: payload,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        return { reason: `no answer within ${this.settings.timeoutMs} ms`, timedOut: true, cause: error };
      }
      return { reason: describeNetworkError(error), timedOut: false, cause: error };
    }
    const status = response.status;
    if (response.ok) {
      try {
        return { body: JSON.parse(text) as unknown };
      } catch (error) {
        throw new ProviderRejectedError(`${this.what(url)} answered ${status} with a body that is not JSON`, {
          cause: error,
          details: { status, url },
        });
      }
    }
    const reason = `answered ${status}${this.redact(providerMessage(text))}`;
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return { reason, timedOut: false, status, retryAfterMs: retryAfterMs(response.headers) };
    }
    throw new ProviderRejectedError(`${this.what(url)} ${reason}`, { details: { status, url } });
  }

  private giveUp(url: string, failure: RetriableFailure, attempts: number): Error {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    const message = `${this.what(url)} failed: ${this.redact(failure.reason)} (${tries})`;
    const details = {
      url,
      attempts,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    };
    return failure.timedOut
      ? new DependencyTimeoutError(message, { cause: failure.cause, details })
      : new ProviderUnavailableError(message, { cause: failure.cause, details });
  }

  private what(url: string): string {
    return `${this.label} POST ${url}`;
  }

  /** Some proxies echo request headers in their error bodies: the key must not travel on in ours. */
  private redact(text: string): string {
    return this.#apiKey ? text.split(this.#apiKey).join('[redacted]') : text;
  }
}

/** The provider's own error text: OpenAI's `{"error":{"message"}}`, Ollama's `{"error":"..."}`, or raw text. */
function providerMessage(text: string): string {
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const candidate =
      typeof body.error === 'string'
        ? body.error
        : typeof body.error?.message === 'string'
          ? body.error.message
          : body.message;
    if (typeof candidate === 'string') message = candidate;
  } catch {
    // Not JSON: keep the raw text.
  }
  if (message === '') return '';
  return `: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}`;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return `${cause.code} (${String(cause.message)})`;
  return error instanceof Error ? error.message : String(error);
}
