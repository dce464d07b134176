import { gzipSync } from 'node:zlib';

/**
 * Deterministic bad-input fuzzing of the services' HTTP APIs. Every generated case is wrong by
 * construction (one wrong field in an otherwise valid body, a body that is not JSON, an unknown
 * route...), so the only correct answer is a 4xx with the JSON error body; anything else (a 2xx,
 * a 5xx, no answer, a 4xx in HTML) is a failure worth reading.
 */

export type FuzzService = 'generation' | 'embedding-indexer';

export interface FuzzCase {
  readonly id: number;
  /** One of FUZZ_KINDS. */
  readonly kind: string;
  readonly service: FuzzService;
  readonly method: string;
  /** Sent exactly as written (no normalisation of `..`, no re-encoding of `%ZZ`). */
  readonly path: string;
  readonly headers: Record<string, string>;
  /** Shared between cases for the large ones: never mutate it. */
  readonly body?: string | Buffer;
  /** Sent without the run's credential (the case's own headers say what it sends instead). */
  readonly anonymous?: boolean;
  /** Any 4xx; `401` for the credential cases, whose only fault is who is asking. */
  readonly expect: '4xx' | '401';
}

/**
 * The limits the cases are built around. Hard-coded because the services do not export them; the
 * unit test checks them against the code where it can.
 */
export const FUZZ_LIMITS = {
  /** libs/service/src/bootstrap/bootstrap-service.ts: bodyLimit default '1mb' (body-parser: 1024 * 1024 bytes). */
  bodyLimitBytes: 1_048_576,
  /** services/generation/src/config.ts: MAX_PROMPT_CHARS default (UTF-16 code units). */
  maxPromptChars: 20_000,
  /** services/generation/src/services/request-validator.ts: MAX_TITLE_CHARS. */
  maxTitleChars: 500,
  /** services/generation/src/services/request-validator.ts: MAX_TENANT_CHARS. */
  maxTenantChars: 200,
  /** services/generation/src/services/request-validator.ts: MAX_TOKENS_LIMIT. */
  maxTokens: 32_768,
  /** services/embedding-indexer/src/handlers/search-query.ts: MAX_QUERY_CHARS. */
  maxQueryChars: 2_000,
  /** services/embedding-indexer/src/handlers/search-query.ts: MAX_K. */
  maxK: 100,
  /** body-parser's urlencoded parameterLimit default. */
  maxFormParameters: 1_000,
} as const;

export const FUZZ_KINDS = [
  'malformed-json',
  'wrong-type',
  'out-of-range',
  'missing-field',
  'unknown-field',
  'bad-text',
  'unknown-model',
  'bad-request-id',
  'not-an-object',
  'wrong-content-type',
  'bad-encoding',
  'oversize-body',
  'unknown-route',
  'wrong-method',
  'odd-path',
  'status-bad-id',
  'status-unknown-id',
  'bad-search',
  'bad-credential',
] as const;

export type FuzzKind = (typeof FUZZ_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: tiny and good enough to vary cases; the same seed always gives the same cases. */
class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = Math.trunc(seed) >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

const WORDS = [
  'checkout',
  'incident',
  'summary',
  'welcome',
  'email',
  'customers',
  'release',
  'notes',
  'invoice',
  'reminder',
  'kafka',
  'latency',
  'weekly',
  'report',
  'onboarding',
  'guide',
  'refund',
  'policy',
  'status',
  'page',
];

function words(rng: Rng, min: number, max: number): string {
  return Array.from({ length: rng.int(min, max) }, () => rng.pick(WORDS)).join(' ');
}

function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = rng.pick(['8', '9', 'a', 'b']);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// Valid bodies, and one fault at a time

/** A POST /v1/generations body the generation service accepts (with the `local` model). */
export function validGenerationBody(seed: number): Record<string, unknown> {
  return validBody(new Rng(seed));
}

function validBody(rng: Rng): Record<string, unknown> {
  const body: Record<string, unknown> = {
    userId: rng.int(1, 9_999_999),
    title: words(rng, 2, 6),
    prompt: words(rng, 5, 40),
    model: 'local',
  };
  if (rng.chance(0.5)) body.requestId = uuid(rng);
  if (rng.chance(0.5)) body.parameters = validParameters(rng);
  if (rng.chance(0.5)) body.cacheScope = rng.pick(['USER', 'TENANT', 'BYPASS']);
  if (rng.chance(0.5)) body.tenant = rng.chance(0.8) ? rng.pick(WORDS) : null;
  if (rng.chance(0.3)) body.correlationId = `fuzz-${rng.int(1, 1_000_000)}`;
  return body;
}

function validParameters(rng: Rng): Record<string, unknown> {
  return {
    temperature: rng.int(0, 200) / 100,
    maxTokens: rng.int(1, 2_048),
    topP: rng.int(1, 100) / 100,
    systemPrompt: rng.chance(0.5) ? words(rng, 1, 8) : null,
  };
}

// Replaced by a raw JSON literal, so that a field can hold what JSON.stringify cannot write (-0, 1e400, NaN).
const SLOT = 'fuzz-slot-4f1c9a';

type Draft = Omit<FuzzCase, 'id' | 'kind' | 'expect'>;
type Variant = (rng: Rng) => Draft;

const JSON_TYPE = { 'content-type': 'application/json' };
const GENERATIONS = '/v1/generations';

function postGeneration(body: string | Buffer, headers: Record<string, string> = JSON_TYPE): Draft {
  return { service: 'generation', method: 'POST', path: GENERATIONS, headers: { ...headers }, body };
}

/** A valid body as JSON text with `path` (e.g. `parameters.topP`) holding the raw literal instead. */
function jsonWith(rng: Rng, path: string, literal: string): string {
  const body = validBody(rng);
  const [field, inner] = path.split('.') as [string, string | undefined];
  if (inner === undefined) body[field] = SLOT;
  else body[field] = { ...validParameters(rng), [inner]: SLOT };
  return JSON.stringify(body).replace(`"${SLOT}"`, () => literal);
}

function withLiteral(path: string, literal: string): Variant {
  return (rng) => postGeneration(jsonWith(rng, path, literal));
}

function validJson(rng: Rng): string {
  return JSON.stringify(validBody(rng));
}

/** Valid JSON text, then broken by `mutate`. */
function mangled(mutate: (json: string, rng: Rng) => string | Buffer): Variant {
  return (rng) => postGeneration(mutate(validJson(rng), rng));
}

function withoutField(...fields: string[]): Variant {
  return (rng) => {
    const body = validBody(rng);
    for (const field of fields) delete body[field];
    return postGeneration(JSON.stringify(body));
  };
}

/** A valid body plus one unknown top-level field, written into the text (`__proto__` stays a key). */
function withExtraField(name: string): Variant {
  return (rng) => {
    const json = validJson(rng);
    return postGeneration(
      `${json.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(words(rng, 1, 2))}}`,
    );
  };
}

// ---------------------------------------------------------------------------------------------
// Large shared bodies, built once per process

const DEPTH = 10_000;
const memo = new Map<string, string | Buffer>();

function once<T extends string | Buffer>(key: string, build: () => T): T {
  if (!memo.has(key)) memo.set(key, build());
  return memo.get(key) as T;
}

const deepArray = () => once('deep-array', () => '['.repeat(DEPTH) + ']'.repeat(DEPTH));
const deepArrayUnclosed = () => once('deep-unclosed', () => '['.repeat(DEPTH) + ']'.repeat(DEPTH - 1));
const deepObjectUnclosed = () =>
  once('deep-object', () => '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH - 1));

/** JSON whose prompt alone is `bytes` long: over the body limit, and over the prompt limit too. */
function bigPromptJson(bytes: number): string {
  return `{"userId":1,"title":"big","model":"local","prompt":"${'x'.repeat(bytes)}"}`;
}

const OVER_LIMIT = FUZZ_LIMITS.bodyLimitBytes + 1_024;

const bigJson = () => once('big-json', () => bigPromptJson(OVER_LIMIT));
const bigArray = () =>
  once('big-array', () => `[${Array.from({ length: OVER_LIMIT / 8 }, () => '{"a":1}').join(',')}]`);
const bigForm = () =>
  once('big-form', () => `userId=1&title=big&model=local&prompt=${'x'.repeat(OVER_LIMIT)}`);
/** Small on the wire, twice the limit once inflated: the limit must apply after decompression. */
const gzipBomb = () =>
  once('gzip-bomb', () => gzipSync(Buffer.from(bigPromptJson(2 * FUZZ_LIMITS.bodyLimitBytes))));

// ---------------------------------------------------------------------------------------------
// The variants of each kind

const NOT_JSON_LITERALS = [
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  'True',
  'None',
  'local',
  '0x1F',
  '01',
  '+1',
  '.5',
  '1.',
  '--1',
  "'single'",
];

const CONTROL_CHARACTERS = ['\u0000', '\u0001', '\u0007', '\n', '\t', '\r', '\u001b', '\u001f'];
const BAD_ESCAPES = ['"\\x41"', '"\\u12"', '"\\q"', '"\\uZZZZ"', '"\\"', '"abc'];
const BAD_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80]];

/** Raw bytes where JSON expects structure: decoded as U+FFFD, never valid JSON. */
function withBadUtf8(bytes: readonly number[]): Variant {
  return mangled((json) =>
    Buffer.concat([Buffer.from('{'), Buffer.from(bytes), Buffer.from(json.slice(1), 'utf8')]),
  );
}

const MALFORMED_JSON: readonly Variant[] = [
  mangled((json, rng) => json.slice(0, rng.int(1, json.length - 1))),
  mangled((json) => `${json.slice(0, -1)},}`),
  mangled((json) => `[${json},]`),
  mangled((json) => json.replaceAll('"', "'")),
  mangled((json) => json.replace(/"(\w+)":/g, '$1:')),
  mangled((json) => `{/* a comment */${json.slice(1)}`),
  mangled((json) => `// a comment\n${json}`),
  mangled((json) => json + json),
  mangled((json) => `${json} trailing`),
  mangled((json) => `${json}}`),
  mangled((json) => json.replace('":', '" ')),
  mangled((json) => json.replace(',"', ' "')),
  mangled((json) => `\uFEFF\uFEFF${json}`),
  mangled((json) => `\uFEFF${json.slice(0, -1)}`),
  mangled((json) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json)])),
  ...['{', '}', '[', '{"', '{"userId"}', '{,}', '{:}', '[,]', '{"userId":}', '   '].map(
    (text): Variant =>
      () =>
        postGeneration(text),
  ),
  () => postGeneration(deepArrayUnclosed()),
  () => postGeneration(deepObjectUnclosed()),
  (rng) =>
    withLiteral(rng.pick(['userId', 'title', 'model', 'parameters.topP']), rng.pick(NOT_JSON_LITERALS))(rng),
  (rng) => withLiteral('title', `"a${rng.pick(CONTROL_CHARACTERS)}b"`)(rng),
  (rng) => withLiteral('prompt', rng.pick(BAD_ESCAPES))(rng),
  ...BAD_UTF8.map(withBadUtf8),
];

const WRONG_TYPES: readonly (readonly [string, string])[] = [
  ['userId', '"7"'],
  ['userId', '"abc"'],
  ['userId', 'true'],
  ['userId', 'null'],
  ['userId', '[1]'],
  ['userId', '{"id":1}'],
  ['title', '{"text":"t"}'],
  ['title', '3'],
  ['title', 'null'],
  ['title', '["a"]'],
  ['title', 'false'],
  ['prompt', '["hello"]'],
  ['prompt', '42'],
  ['prompt', 'null'],
  ['prompt', '{"text":"hi"}'],
  ['model', '7'],
  ['model', 'null'],
  ['model', '["local"]'],
  ['model', '{"name":"local"}'],
  ['parameters', '"hot"'],
  ['parameters', '3'],
  ['parameters', '[0.5]'],
  ['parameters', 'true'],
  ['parameters.temperature', '"0.5"'],
  ['parameters.temperature', 'true'],
  ['parameters.temperature', '[]'],
  ['parameters.maxTokens', '"64"'],
  ['parameters.maxTokens', '{}'],
  ['parameters.topP', '"0.9"'],
  ['parameters.topP', 'false'],
  ['parameters.systemPrompt', '3'],
  ['parameters.systemPrompt', '{}'],
  ['parameters.systemPrompt', '["x"]'],
  ['requestId', '3'],
  ['requestId', 'null'],
  ['requestId', '{}'],
  ['cacheScope', '1'],
  ['cacheScope', 'null'],
  ['cacheScope', '["USER"]'],
  ['tenant', '3'],
  ['tenant', '{}'],
  ['tenant', '["acme"]'],
  ['correlationId', '3'],
  ['correlationId', '{}'],
  ['correlationId', 'false'],
];

const WRONG_TYPE: readonly Variant[] = [
  ...WRONG_TYPES.map(([path, literal]) => withLiteral(path, literal)),
  // Ten thousand levels, well-formed: the parser must survive it and the validator refuse it.
  (rng) => postGeneration(jsonWith(rng, 'prompt', deepArray())),
  // With a duplicate key JSON.parse keeps the last one.
  mangled((json) => `${json.slice(0, -1)},"userId":"7"}`),
];

const OUT_OF_RANGE: readonly Variant[] = [
  ...['0', '-1', '-0', '1.5', '0.1', '1e20', '9007199254740993', '1e400'].map((n) =>
    withLiteral('userId', n),
  ),
  (rng) => withLiteral('userId', String(-rng.int(2, 9_999_999)))(rng),
  ...['-0.1', '2.01', '3', '1e400', '-1e400'].map((n) => withLiteral('parameters.temperature', n)),
  ...['0', '-1', String(FUZZ_LIMITS.maxTokens + 1), '1.5', '1e9'].map((n) =>
    withLiteral('parameters.maxTokens', n),
  ),
  ...['0', '-0', '-0.5', '1.01', '2'].map((n) => withLiteral('parameters.topP', n)),
  ...['"EVERYONE"', '"user"', '""', '"USER "'].map((scope) => withLiteral('cacheScope', scope)),
];

const MISSING_FIELD: readonly Variant[] = [
  withoutField('userId'),
  withoutField('title'),
  withoutField('prompt'),
  withoutField('model'),
  withoutField('userId', 'title', 'prompt', 'model'),
  () => postGeneration('{}'),
  () => postGeneration(''),
  () => postGeneration('{"parameters":{}}'),
];

const UNKNOWN_FIELD: readonly Variant[] = [
  ...[
    'colour',
    'user_id',
    'Prompt',
    'USERID',
    '__proto__',
    'constructor',
    'requestedAt',
    'source',
    'causationId',
    'contentId',
    '',
    'prompt ',
  ].map(withExtraField),
  ...['topK', 'stop', 'seed', 'temperature ', '__proto__'].map((name) =>
    withLiteral('parameters', `{"temperature":0.5,${JSON.stringify(name)}:1}`),
  ),
];

const overPrompt = (rng: Rng) => FUZZ_LIMITS.maxPromptChars + rng.int(1, 500);

const BAD_TEXT: readonly Variant[] = [
  ...['""', '"   "', '"\\n\\t "', '"\\u00a0\\u2003\\ufeff"'].map((text) => withLiteral('prompt', text)),
  (rng) => withLiteral('prompt', JSON.stringify('x'.repeat(overPrompt(rng))))(rng),
  // Two UTF-16 code units each: over the limit as the service counts, though under it in code points.
  (rng) => withLiteral('prompt', JSON.stringify('\u{1F600}'.repeat(Math.ceil(overPrompt(rng) / 2))))(rng),
  ...['""', '"  "', JSON.stringify('t'.repeat(FUZZ_LIMITS.maxTitleChars + 1))].map((text) =>
    withLiteral('title', text),
  ),
  ...['""', '" "', JSON.stringify('a'.repeat(FUZZ_LIMITS.maxTenantChars + 1))].map((text) =>
    withLiteral('tenant', text),
  ),
  (rng) => withLiteral('parameters.systemPrompt', JSON.stringify('s'.repeat(overPrompt(rng))))(rng),
];

const UNKNOWN_MODEL: readonly Variant[] = [
  ...[
    '"LOCAL"',
    '"Local"',
    '" local"',
    '"local "',
    '""',
    '"   "',
    '"__proto__"',
    '"constructor"',
    '"toString"',
    '"local\\u0000"',
  ].map((model) => withLiteral('model', model)),
  (rng) => withLiteral('model', `"genstream-fuzz-unknown-${rng.int(1, 1_000_000)}"`)(rng),
];

/** Strings that are not a UUID (anchored, hex, 8-4-4-4-12), derived from a real one. */
const NOT_UUIDS: readonly ((rng: Rng) => string)[] = [
  () => 'abc',
  () => '',
  () => ' ',
  (rng) => uuid(rng).replaceAll('-', ''),
  (rng) => `{${uuid(rng)}}`,
  (rng) => `${uuid(rng)}0`,
  (rng) => uuid(rng).slice(0, -1),
  (rng) => `g${uuid(rng).slice(1)}`,
  (rng) => `urn:uuid:${uuid(rng)}`,
  (rng) => ` ${uuid(rng)}`,
  () => '-'.repeat(36),
];

const BAD_REQUEST_ID: readonly Variant[] = NOT_UUIDS.map(
  (notUuid) => (rng: Rng) => postGeneration(jsonWith(rng, 'requestId', JSON.stringify(notUuid(rng)))),
);

const NOT_AN_OBJECT: readonly Variant[] = [
  ...['[]', '"text"', '42', 'null', 'true', 'false', '-1', '"{\\"userId\\":1}"', '[[],{}]'].map(
    (text): Variant =>
      () =>
        postGeneration(text),
  ),
  mangled((json) => `[${json}]`),
  () => postGeneration(deepArray()),
];

function xmlOf(body: Record<string, unknown>): string {
  const fields = Object.entries(body).map(([key, value]) => `<${key}>${JSON.stringify(value)}</${key}>`);
  return `<?xml version="1.0"?><generation>${fields.join('')}</generation>`;
}

function formOf(body: Record<string, unknown>): string {
  const flat = Object.entries(body).map(([key, value]): [string, string] => [
    key,
    typeof value === 'string' ? value : JSON.stringify(value),
  ]);
  return new URLSearchParams(flat).toString();
}

function multipartOf(body: Record<string, unknown>, boundary: string): string {
  const parts = Object.entries(body).map(
    ([key, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${JSON.stringify(value)}\r\n`,
  );
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** The valid JSON body under a content type the service does not parse as JSON. */
function validJsonAs(contentType: string | undefined): Variant {
  return (rng) =>
    postGeneration(validJson(rng), contentType === undefined ? {} : { 'content-type': contentType });
}

const FORM = 'application/x-www-form-urlencoded';

const WRONG_CONTENT_TYPE: readonly Variant[] = [
  ...[
    'text/plain',
    undefined,
    'application/vnd.api+json',
    'application/octet-stream',
    'application/jsonx',
    'json',
    FORM,
  ].map(validJsonAs),
  (rng) => postGeneration(xmlOf(validBody(rng)), { 'content-type': 'application/xml' }),
  (rng) => postGeneration(xmlOf(validBody(rng)), { 'content-type': 'text/xml' }),
  (rng) =>
    postGeneration(multipartOf(validBody(rng), 'fuzz-boundary'), {
      'content-type': 'multipart/form-data; boundary=fuzz-boundary',
    }),
  (rng) => postGeneration(`--\r\n${words(rng, 3, 9)}\r\n--`, { 'content-type': 'multipart/form-data' }),
  // Form fields are strings, so userId can never be the number it must be.
  (rng) => postGeneration(formOf(validBody(rng)), { 'content-type': FORM }),
  // Deeper than body-parser's extended depth of 32, and more fields than its parameterLimit.
  () => postGeneration(`a${'[b]'.repeat(40)}=1`, { 'content-type': FORM }),
  () =>
    postGeneration(Array.from({ length: FUZZ_LIMITS.maxFormParameters + 1 }, (_, i) => `p${i}=1`).join('&'), {
      'content-type': FORM,
    }),
];

/** The body has a fault of its own (no prompt), so an encoding the service decodes after all still fails. */
function promptless(rng: Rng): string {
  const body = validBody(rng);
  delete body.prompt;
  return JSON.stringify(body);
}

function encoded(
  headers: Record<string, string>,
  bytes: (text: string, rng: Rng) => string | Buffer,
): Variant {
  return (rng) => postGeneration(bytes(promptless(rng), rng), { ...JSON_TYPE, ...headers });
}

const garbage = (_text: string, rng: Rng) =>
  Buffer.from(Array.from({ length: rng.int(8, 64) }, () => rng.int(0, 255)));
const asIs = (text: string) => text;

const BAD_ENCODING: readonly Variant[] = [
  ...['latin1', 'utf-7', 'klingon', 'iso-8859-1', 'ascii'].map((charset) =>
    encoded({ 'content-type': `application/json; charset=${charset}` }, asIs),
  ),
  encoded({ 'content-type': 'application/json; charset=utf-16le' }, asIs),
  ...['gzip', 'deflate', 'br', 'zstd'].map((encoding) => encoded({ 'content-encoding': encoding }, garbage)),
  ...['compress', 'x-fuzz', 'gzip, gzip', 'identity;q=x'].map((encoding) =>
    encoded({ 'content-encoding': encoding }, asIs),
  ),
  encoded({ 'content-encoding': 'gzip' }, (text) => {
    const zipped = gzipSync(Buffer.from(text));
    return zipped.subarray(0, zipped.length - 6);
  }),
];

const OVERSIZE_BODY: readonly Variant[] = [
  () => postGeneration(bigJson()),
  () => postGeneration(bigArray()),
  () => postGeneration(bigJson(), { ...JSON_TYPE, 'transfer-encoding': 'chunked' }),
  () => postGeneration(gzipBomb(), { ...JSON_TYPE, 'content-encoding': 'gzip' }),
  () => postGeneration(bigForm(), { 'content-type': FORM }),
];

const SERVICES: readonly FuzzService[] = ['generation', 'embedding-indexer'];

function get(service: FuzzService, path: string, method = 'GET'): Draft {
  return { service, method, path, headers: {} };
}

/** Paths no service serves (routing ignores case and one trailing slash, so none is a variant of a real one). */
const UNKNOWN_PATHS = [
  '/',
  '/v1',
  '/v1/',
  '/v2/generations',
  '/v1/generation',
  '/v1/generations/a/b',
  '/v1/searches',
  '/v1/search/more',
  '/health/ready',
  '/metrics/extra',
  '/admin',
  '/.env',
  '/favicon.ico',
  '/robots.txt',
  '/graphql',
  '/wp-login.php',
  '/api/v1/generations',
];

const UNKNOWN_ROUTE: readonly Variant[] = [
  ...UNKNOWN_PATHS.map(
    (path): Variant =>
      (rng) =>
        get(rng.pick(SERVICES), path),
  ),
  (rng) => get(rng.pick(SERVICES), `/${rng.pick(WORDS)}/${rng.pick(WORDS)}`),
  (rng) => get(rng.pick(SERVICES), `/${rng.pick(WORDS)}`, 'HEAD'),
  // Each service's routes on the other one.
  (rng) => ({ ...postGeneration(validJson(rng)), service: 'embedding-indexer' }),
  (rng) => get('generation', `/v1/search?q=${encodeURIComponent(words(rng, 1, 4))}`),
  (rng) => get('embedding-indexer', `${GENERATIONS}/${uuid(rng)}`),
];

const WRONG_METHOD: readonly Variant[] = [
  ...['PUT', 'DELETE', 'PATCH'].map((method): Variant => (rng) => ({
    ...postGeneration(validJson(rng)),
    method,
  })),
  ...['POST', 'PUT', 'DELETE', 'PATCH'].map(
    (method): Variant =>
      (rng) =>
        get('generation', `${GENERATIONS}/${uuid(rng)}`, method),
  ),
  ...['POST', 'PUT', 'DELETE'].map(
    (method): Variant =>
      (rng) =>
        get('embedding-indexer', `/v1/search?q=${encodeURIComponent(words(rng, 1, 4))}`, method),
  ),
  ...['POST', 'PUT', 'DELETE', 'PATCH'].flatMap((method) =>
    ['/health', '/health/live', '/metrics'].map(
      (path): Variant =>
        (rng) =>
          get(rng.pick(SERVICES), path, method),
    ),
  ),
];

const LONG = 8 * 1_024;

/** Paths a URL library would normalise or refuse; sent raw. None is a valid request even once normalised. */
const ODD_PATHS = [
  `${GENERATIONS}/../../etc/passwd`,
  '/../../../etc/passwd',
  '/..%2f..%2fetc%2fpasswd',
  '/%ZZ',
  '/v1/%ZZ',
  '/v1/search%ZZ',
  `${GENERATIONS}/%ZZ`,
  `${GENERATIONS}/%E0%A4%A`,
  '/%00',
  `${GENERATIONS}/%00`,
  `${GENERATIONS}/%2e%2e`,
  '/v1/search/..;/health',
  '/v1/search/../search',
  '/./v1/./search',
  '//v1//generations',
  `${GENERATIONS}?%ZZ=%ZZ`,
  `/${'a'.repeat(LONG)}`,
  `${GENERATIONS}/${'a'.repeat(LONG)}`,
  `/v1/${'seg/'.repeat(LONG / 4)}`,
];

const ODD_PATH: readonly Variant[] = ODD_PATHS.map(
  (path): Variant =>
    (rng) =>
      get(rng.pick(SERVICES), path),
);

const STATUS_BAD_IDS: readonly ((rng: Rng) => string)[] = [
  ...[
    'abc',
    '123',
    '0',
    'null',
    'undefined',
    "'%20OR%201=1--",
    '%3Cscript%3E',
    '%ZZ',
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
  ].map((id) => () => id),
  (rng) => uuid(rng).replaceAll('-', ''),
  (rng) => `${uuid(rng)}0`,
  (rng) => uuid(rng).slice(0, -1),
  (rng) => `%7B${uuid(rng)}%7D`,
  (rng) => `g${uuid(rng).slice(1)}`,
  (rng) => 'a'.repeat(rng.int(37, 300)),
];

const STATUS_BAD_ID: readonly Variant[] = STATUS_BAD_IDS.map(
  (id): Variant =>
    (rng) =>
      get('generation', `${GENERATIONS}/${id(rng)}`),
);

/** Well-formed ids nobody asked for: 404 NOT_FOUND. */
const STATUS_UNKNOWN_ID: readonly Variant[] = [
  (rng) => get('generation', `${GENERATIONS}/${uuid(rng)}`),
  (rng) => get('generation', `${GENERATIONS}/${uuid(rng).toUpperCase()}`),
  (rng) => get('generation', `${GENERATIONS}/${uuid(rng).replaceAll('-', '%2D')}`),
];

function search(query: string): Draft {
  return get('embedding-indexer', `/v1/search${query}`);
}

/** A valid q, so the other parameter is what is wrong. */
const q = (rng: Rng) => `q=${encodeURIComponent(words(rng, 1, 5))}`;

function longText(rng: Rng): string {
  const length = FUZZ_LIMITS.maxQueryChars + rng.int(1, 300);
  return Array.from({ length }, () => rng.pick(['a', 'b', 'c', ' '])).join('');
}

const BAD_SEARCH: readonly Variant[] = [
  ...['', '?', '?k=5', '?q=', '?q=+++', '?q=%20%09', '?Q=hello', '?q[]=hello', '?q=hello&q=world'].map(
    (query): Variant =>
      () =>
        search(query),
  ),
  ...['0', '-1', 'abc', '100000', String(FUZZ_LIMITS.maxK + 1), '1.5', '%2B5', '1e2', '0x10', '5&k=6'].map(
    (k): Variant =>
      (rng) =>
        search(`?${q(rng)}&k=${k}`),
  ),
  ...['abc', '1.5', '99999999999999999999', '1e3', '%2B1', '1&userId=2'].map(
    (userId): Variant =>
      (rng) =>
        search(`?${q(rng)}&userId=${userId}`),
  ),
  (rng) => search(`?q=${encodeURIComponent(longText(rng))}`),
  (rng) => search(`?q=${'x'.repeat(FUZZ_LIMITS.maxQueryChars + rng.int(1, 300))}&k=3`),
];

// Otherwise valid requests on each API route, with a credential that is missing, malformed, unknown,
// forged or expired. The services run without a JWKS here, so every JWT is refused as no API key.
const CREDENTIAL_ROUTES: readonly Variant[] = [
  (rng) => postGeneration(validJson(rng)),
  (rng) => get('generation', `${GENERATIONS}/${uuid(rng)}`),
  (rng) => search(`?q=${encodeURIComponent(words(rng, 1, 4))}`),
];

function withCredential(headers: (rng: Rng) => Record<string, string>): Variant {
  return (rng) => {
    const draft = rng.pick(CREDENTIAL_ROUTES)(rng);
    return { ...draft, headers: { ...draft.headers, ...headers(rng) }, anonymous: true };
  };
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomText(rng: Rng, alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[rng.int(0, alphabet.length - 1)]).join('');
}

function unknownKey(rng: Rng): string {
  return `gsk_${randomText(rng, '0123456789abcdef', 16)}_${randomText(rng, B64URL, 43)}`;
}

function jwt(rng: Rng, header: object, claims: object, signatureLength: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const base = {
    sub: `user-${rng.int(1, 999)}`,
    tenant: rng.pick(WORDS),
    scope: 'admin',
    exp: 4_102_444_800,
  };
  return `${part(header)}.${part({ ...base, ...claims })}.${randomText(rng, B64URL, signatureLength)}`;
}

const BAD_CREDENTIAL: readonly Variant[] = [
  withCredential(() => ({})),
  withCredential(() => ({ authorization: 'Bearer' })),
  withCredential(() => ({ authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` })),
  withCredential((rng) => ({ authorization: `Bearer ${unknownKey(rng)}` })),
  withCredential((rng) => ({ 'x-api-key': unknownKey(rng) })),
  withCredential((rng) => ({
    authorization: `Bearer gsk_${randomText(rng, '0123456789abcdef', rng.int(1, 15))}`,
  })),
  withCredential((rng) => ({ authorization: `Bearer ${jwt(rng, { alg: 'none', typ: 'JWT' }, {}, 0)}` })),
  withCredential((rng) => ({ authorization: `Bearer ${jwt(rng, { alg: 'HS256', typ: 'JWT' }, {}, 43)}` })),
  withCredential((rng) => ({
    authorization: `Bearer ${jwt(rng, { alg: 'RS256', kid: 'k1' }, { exp: 1 }, 342)}`,
  })),
  withCredential((rng) => ({ authorization: `Bearer ${randomText(rng, B64URL, rng.int(1_000, 4_000))}` })),
  withCredential((rng) => ({ authorization: `Bearer ${unknownKey(rng)} ${unknownKey(rng)}` })),
  withCredential((rng) => ({ authorization: `Bearer ${unknownKey(rng)}`, 'x-api-key': unknownKey(rng) })),
];

const VARIANTS: Readonly<Record<FuzzKind, readonly Variant[]>> = {
  'malformed-json': MALFORMED_JSON,
  'wrong-type': WRONG_TYPE,
  'out-of-range': OUT_OF_RANGE,
  'missing-field': MISSING_FIELD,
  'unknown-field': UNKNOWN_FIELD,
  'bad-text': BAD_TEXT,
  'unknown-model': UNKNOWN_MODEL,
  'bad-request-id': BAD_REQUEST_ID,
  'not-an-object': NOT_AN_OBJECT,
  'wrong-content-type': WRONG_CONTENT_TYPE,
  'bad-encoding': BAD_ENCODING,
  'oversize-body': OVERSIZE_BODY,
  'unknown-route': UNKNOWN_ROUTE,
  'wrong-method': WRONG_METHOD,
  'odd-path': ODD_PATH,
  'status-bad-id': STATUS_BAD_ID,
  'status-unknown-id': STATUS_UNKNOWN_ID,
  'bad-search': BAD_SEARCH,
  'bad-credential': BAD_CREDENTIAL,
};

// ---------------------------------------------------------------------------------------------
// Generation

/**
 * `count` cases, the same for the same seed. Kinds take turns, each walking through its variants
 * from a seeded start, so a few hundred cases already hold every variant; then the order is
 * shuffled so that slow kinds (the large bodies) are spread over the run.
 */
export function generateFuzzCases(count: number, seed: number): FuzzCase[] {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`count must be an integer >= 0, got ${count}`);
  const rng = new Rng(seed);
  const starts = FUZZ_KINDS.map((kind) => rng.int(0, VARIANTS[kind].length - 1));
  const drafts = Array.from({ length: count }, (_, i) => {
    const turn = i % FUZZ_KINDS.length;
    const kind = FUZZ_KINDS[turn]!;
    const variants = VARIANTS[kind];
    const variant = variants[(starts[turn]! + Math.floor(i / FUZZ_KINDS.length)) % variants.length]!;
    return { kind, ...variant(rng) };
  });
  shuffle(drafts, rng);
  return drafts.map((draft, id) => ({
    id,
    ...draft,
    expect: draft.kind === 'bad-credential' ? '401' : '4xx',
  }));
}

function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

// ---------------------------------------------------------------------------------------------
