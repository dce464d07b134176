import {
  IncompatibleSchemaError,
  RegistryRejectedError,
  RegistryUnavailableError,
  UnknownSchemaError,
} from '@genstream/errors';

// The two Confluent schema-registry calls the codec needs, over global fetch, with both
// directions cached: a schema is registered once per subject, an id is looked up once.

export interface SchemaRegistryOptions {
  /** Base URL, e.g. `http://localhost:8081`; user:password in the URL becomes basic authentication. */
  readonly url: string;
  /** Per request; default 10 s. A timeout is a RegistryUnavailableError (retriable). */
  readonly timeoutMs?: number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export class SchemaRegistryClient {
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly idsBySubjectSchema = new Map<string, Promise<number>>();
  private readonly schemasById = new Map<number, Promise<string>>();

  constructor(options: SchemaRegistryOptions) {
    const url = new URL(options.url);
    this.headers = { accept: CONTENT_TYPE };
    if (url.username !== '' || url.password !== '') {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.baseUrl = url.href.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Registers `schema` (JSON text) under `subject` (or finds it already there) and returns its id. */
  register(subject: string, schema: string): Promise<number> {
    return this.cached(this.idsBySubjectSchema, `${subject}\n${schema}`, async () => {
      const body = await this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
        schema,
      });
      const id = (body as { id?: unknown }).id;
      if (typeof id !== 'number' || !Number.isInteger(id)) {
        throw new RegistryRejectedError(`${this.baseUrl} registered ${subject} but answered without an id`);
      }
      this.schemasById.set(id, Promise.resolve(schema));
      return id;
    });
  }

  /** The schema text registered under `id`; UnknownSchemaError when the registry has no such id. */
  schemaById(id: number): Promise<string> {
    return this.cached(this.schemasById, id, async () => {
      const body = await this.request('GET', `/schemas/ids/${id}`, undefined, id);
      const { schema, schemaType = 'AVRO' } = body as { schema?: unknown; schemaType?: unknown };
      if (typeof schema !== 'string' || schemaType !== 'AVRO') {
        throw new UnknownSchemaError(
          `schema id ${id} at ${this.baseUrl} is not an Avro schema (${JSON.stringify(schemaType)})`,
        );
      }
      return schema;
    });
  }

  /** One in-flight request per key; a failure is not cached, so the next call asks again. */
  private cached<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let value = cache.get(key);
    if (value === undefined) {
      value = load();
      cache.set(key, value);
      value.catch(() => cache.delete(key));
    }
    return value;
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    schemaId?: number,
  ): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? this.headers : { ...this.headers, 'content-type': CONTENT_TYPE },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof DOMException && error.name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : describeNetworkError(error);
      throw new RegistryUnavailableError(`schema registry ${method} ${url} failed: ${reason}`, {
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new RegistryRejectedError(`schema registry ${method} ${url} answered with invalid JSON`, {
          cause: error,
        });
      }
    }
    const detail = registryMessage(text);
    const what = `schema registry ${method} ${url} answered ${response.status}${detail}`;
    const details = { status: response.status, url };
    // 5xx, and 408/429 (the registry asks us to come back later): the same call may work later.
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      throw new RegistryUnavailableError(what, { details });
    }
    if (response.status === 404 && schemaId !== undefined) {
      throw new UnknownSchemaError(
        `schema id ${schemaId} is not in the schema registry at ${this.baseUrl}${detail}`,
        {
          details,
        },
      );
    }
    if (response.status === 409) {
      throw new IncompatibleSchemaError(
        `${what}: the registry's compatibility rule rejects this schema version`,
        {
          details,
        },
      );
    }
    throw new RegistryRejectedError(what, { details });
  }
}

/** The registry's own error text (`{"error_code": 40401, "message": "..."}`), when it sent one. */
function registryMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body.message === 'string') {
      const code = typeof body.error_code === 'number' ? ` (error code ${body.error_code})` : '';
      return `: ${body.message}${code}`;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text === '' ? '' : `: ${text.slice(0, 200)}`;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return `${cause.code} (${String(cause.message)})`;
  return error instanceof Error ? error.message : String(error);
}
