import { setTimeout as sleep } from 'node:timers/promises';

/** The body of POST /v1/generations. */
export interface GenerationRequestBody {
  readonly userId: number;
  readonly title: string;
  readonly prompt: string;
  readonly model: string;
  readonly parameters?: Record<string, unknown>;
  readonly requestId?: string;
}

export interface Accepted {
  readonly requestId: string;
  readonly status: 'accepted';
  readonly statusUrl: string;
}

/** GET /v1/generations/{requestId}. */
export interface GenerationStatus {
  readonly requestId: string;
  readonly state: 'accepted' | 'done' | 'failed';
  readonly contentId?: string;
  readonly output?: string;
  readonly modelUsed?: string;
  readonly cacheHit?: string;
  readonly generatedAt?: number | string;
  readonly error?: unknown;
}

export interface SearchResult {
  readonly contentId: string;
  readonly score: number;
  readonly title: string | null;
  readonly output: string | null;
  readonly userId?: number;
  readonly model?: string;
  readonly generatedAt?: number | string;
}

export interface SearchResponse {
  readonly query: string;
  readonly results: readonly SearchResult[];
}

/** An answer other than the one expected, with what the service said. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status}: ${body.slice(0, 500)}`);
    this.name = 'HttpError';
  }
}

/** The two public HTTP APIs: generation (requests, status) and the embedding indexer (search). */
export class GenstreamClient {
  private readonly timeoutMs: number;
  /** Sent as `Authorization: Bearer` with every API call. */
  private readonly credential: Record<string, string>;

  constructor(
    readonly generationUrl: string,
    readonly searchUrl: string,
    options: { readonly apiKey?: string; readonly timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.credential = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  }

  /** `headers` may carry e.g. a W3C `traceparent`, which the request's trace then continues. */
  async requestGeneration(
    body: GenerationRequestBody,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<Accepted> {
    const response = await fetch(`${this.generationUrl}/v1/generations`, {
      method: 'POST',
      headers: { ...this.credential, ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (response.status !== 202) throw new HttpError(response.status, text, 'POST /v1/generations');
    return JSON.parse(text) as Accepted;
  }

  /** Undefined while the service does not know the request (404). */
  async status(requestId: string): Promise<GenerationStatus | undefined> {
    const response = await fetch(`${this.generationUrl}/v1/generations/${encodeURIComponent(requestId)}`, {
      headers: this.credential,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (response.status === 404) return undefined;
    if (!response.ok) throw new HttpError(response.status, text, `GET /v1/generations/${requestId}`);
    return JSON.parse(text) as GenerationStatus;
  }

  /** Polls the status until it is done or failed. */
  async waitFinished(requestId: string, timeoutMs = 60_000, pollMs = 25): Promise<GenerationStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: GenerationStatus | undefined;
    while (Date.now() < deadline) {
      last = await this.status(requestId);
      if (last && last.state !== 'accepted') return last;
      await sleep(pollMs);
    }
    throw new Error(
      `request ${requestId} was not done within ${timeoutMs / 1000} s (last status: ${last ? last.state : 'unknown to the service (404)'})`,
    );
  }

  async search(query: string, k = 3, userId?: number): Promise<SearchResponse> {
    const params = new URLSearchParams({ q: query, k: String(k) });
    if (userId !== undefined) params.set('userId', String(userId));
    const response = await fetch(`${this.searchUrl}/v1/search?${params.toString()}`, {
      headers: this.credential,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text, 'GET /v1/search');
    return JSON.parse(text) as SearchResponse;
  }
}

/** The generation service's counter of model calls (requests a provider had to answer). */
export const MODEL_CALLS_METRIC = 'genstream_generation_model_calls_total';

/** The value of a Prometheus counter or gauge in a /metrics text, summed over its label sets. */
export function metricValue(metricsText: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export async function fetchMetrics(serviceUrl: string): Promise<string> {
  const response = await fetch(`${serviceUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  if (!response.ok) throw new HttpError(response.status, text, 'GET /metrics');
  return text;
}
