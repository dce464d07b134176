import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { gunzipSync } from 'node:zlib';
import { ContractViolationError } from '@genstream/errors';
import { isUuid } from '@genstream/events';
import { MAX_K, MAX_QUERY_CHARS, parseSearchQuery } from '@genstream/embedding-indexer';
import {
  MAX_TENANT_CHARS,
  MAX_TITLE_CHARS,
  MAX_TOKENS_LIMIT,
  RequestValidator,
  generationConfigSchema,
  requestFromBody,
} from '@genstream/generation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FUZZ_KINDS,
  FUZZ_LIMITS,
  generateFuzzCases,
  validGenerationBody,
  type FuzzCase,
} from './http-fuzz-cases.js';
import { formatFuzzReport, runFuzzCases } from './http-fuzz-run.js';

const cases = generateFuzzCases(2_000, 20_240_601);

const validator = new RequestValidator({
  maxPromptChars: FUZZ_LIMITS.maxPromptChars,
  knowsModel: (model) => model === 'local',
});
const context = { newRequestId: () => '0b5c8f0e-3f5a-4d8e-9a57-2f1f0c3b7d11', now: 1, correlationId: null };

/** The problems requestFromBody lists for a body; fails the test when it accepts it. */
function problemsOf(body: unknown): unknown[] {
  try {
    requestFromBody(body, context, validator);
  } catch (error) {
    expect(error).toBeInstanceOf(ContractViolationError);
    return (error as ContractViolationError).details.problems as unknown[];
  }
  throw new Error(`accepted: ${JSON.stringify(body).slice(0, 200)}`);
}

const header = (fuzzCase: FuzzCase, name: string) => fuzzCase.headers[name];

/** What body-parser's JSON parser (strict, UTF-8, a leading BOM dropped) makes of a body. */
function parseLikeBodyParser(body: string | Buffer): { value: unknown } | 'refused' {
  const text = new TextDecoder().decode(typeof body === 'string' ? Buffer.from(body) : body);
  if (text.length === 0) return { value: {} };
  const first = /[^ \t\n\r]/.exec(text)?.[0];
  if (first !== '{' && first !== '[') return 'refused';
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return 'refused';
  }
}

const isPlainJson = (fuzzCase: FuzzCase) =>
  header(fuzzCase, 'content-type') === 'application/json' &&
  header(fuzzCase, 'content-encoding') === undefined;

const isGenerationPost = (fuzzCase: FuzzCase) =>
  fuzzCase.service === 'generation' && fuzzCase.method === 'POST' && fuzzCase.path === '/v1/generations';

/** The route of the real services a case reaches (Express: any case, one optional trailing slash). */
function routeOf(fuzzCase: FuzzCase): { route: string; param?: string } {
  const [pathname = '', query] = fuzzCase.path.split(/\?(.*)/s);
  const method = fuzzCase.method === 'HEAD' ? 'GET' : fuzzCase.method;
  const path = pathname.toLowerCase().replace(/(.)\/$/, '$1');
  const id = /^\/v1\/generations\/([^/]+)$/.exec(path);
  const served: Record<string, boolean> = {
    'POST /v1/generations': fuzzCase.service === 'generation' && path === '/v1/generations',
    'GET /v1/generations/:requestId': fuzzCase.service === 'generation' && id !== null,
    'GET /v1/search': fuzzCase.service === 'embedding-indexer' && path === '/v1/search',
    'GET /health': ['/health', '/health/live', '/metrics'].includes(path),
  };
  const route = Object.keys(served).find((key) => served[key] && key.startsWith(`${method} `)) ?? 'none';
  const param = route === 'GET /v1/search' ? (query ?? '') : fuzzCase.path.split('/')[3]?.split('?')[0];
  return { route, ...(route === 'none' ? {} : { param }) };
}

function decoded(param: string | undefined): string | undefined {
  try {
    return decodeURIComponent(param ?? '');
  } catch {
    return undefined;
  }
}

describe('generateFuzzCases', () => {
  it('gives the same cases for the same seed, other cases for another seed', () => {
    expect(generateFuzzCases(300, 7)).toEqual(generateFuzzCases(300, 7));
    expect(generateFuzzCases(300, 8)).not.toEqual(generateFuzzCases(300, 7));
    expect(generateFuzzCases(0, 7)).toEqual([]);
    expect(() => generateFuzzCases(-1, 7)).toThrow(RangeError);
  });

  it('numbers the cases and holds every kind in 2,000 cases', () => {
    expect(cases.map((fuzzCase) => fuzzCase.id)).toEqual(cases.map((_, i) => i));
    for (const fuzzCase of cases)
      expect(fuzzCase.expect, fuzzCase.kind).toBe(fuzzCase.kind === 'bad-credential' ? '401' : '4xx');
    const kinds = new Set(cases.map((fuzzCase) => fuzzCase.kind));
    expect([...kinds].sort()).toEqual([...FUZZ_KINDS].sort());
  });

  it('builds on the limits the services really have', () => {
    expect(FUZZ_LIMITS.maxPromptChars).toBe(generationConfigSchema.MAX_PROMPT_CHARS.fallback?.());
    expect(FUZZ_LIMITS.maxTitleChars).toBe(MAX_TITLE_CHARS);
    expect(FUZZ_LIMITS.maxTenantChars).toBe(MAX_TENANT_CHARS);
    expect(FUZZ_LIMITS.maxTokens).toBe(MAX_TOKENS_LIMIT);
    expect(FUZZ_LIMITS.maxQueryChars).toBe(MAX_QUERY_CHARS);
    expect(FUZZ_LIMITS.maxK).toBe(MAX_K);
  });

  it('makes oversize bodies larger than the body limit (once inflated, for gzip)', () => {
    const oversize = cases.filter((fuzzCase) => fuzzCase.kind === 'oversize-body');
    expect(oversize.length).toBeGreaterThan(0);
    for (const { body, headers } of oversize) {
      const bytes = Buffer.from(body ?? '');
      const inflated = headers['content-encoding'] === 'gzip' ? gunzipSync(bytes) : bytes;
      expect(inflated.length).toBeGreaterThan(FUZZ_LIMITS.bodyLimitBytes);
    }
  });

  it('starts from a body the generation service accepts', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      expect(() => requestFromBody(validGenerationBody(seed), context, validator)).not.toThrow();
    }
  });

  it('never sends JSON the service would accept: every parsable body is refused by requestFromBody', () => {
    let objects = 0;
    // The credential cases send valid bodies: who asks is their only fault.
    const bodyCases = cases.filter(
      (c) => isGenerationPost(c) && isPlainJson(c) && c.kind !== 'bad-credential',
    );
    for (const fuzzCase of bodyCases) {
      const parsed = parseLikeBodyParser(fuzzCase.body ?? '');
      if (fuzzCase.kind === 'malformed-json') expect(parsed, fuzzCase.kind).toBe('refused');
      if (parsed === 'refused') continue;
      objects++;
      expect(problemsOf(parsed.value).length, fuzzCase.kind).toBeGreaterThan(0);
    }
    expect(objects).toBeGreaterThan(500);
  });

  it('gets one field wrong at a time, the rest of the body valid', () => {
    const singleFault = [
      'wrong-type',
      'out-of-range',
      'unknown-field',
      'bad-text',
      'unknown-model',
      'bad-request-id',
    ];
    for (const fuzzCase of cases.filter((c) => singleFault.includes(c.kind))) {
      const parsed = parseLikeBodyParser(fuzzCase.body ?? '');
      expect(parsed).not.toBe('refused');
      if (parsed !== 'refused') expect(problemsOf(parsed.value), fuzzCase.body?.toString()).toHaveLength(1);
    }
  });

  it('sends valid JSON under a wrong content type, and refused JSON under a wrong encoding', () => {
    for (const fuzzCase of cases.filter((c) => ['wrong-content-type', 'bad-encoding'].includes(c.kind))) {
      expect(isPlainJson(fuzzCase)).toBe(false);
      const parsed = parseLikeBodyParser(fuzzCase.body ?? '');
      if (parsed === 'refused') continue;
      // Only the type is wrong; the encoded bodies lack their prompt besides, should the service decode them.
      if (fuzzCase.kind === 'wrong-content-type') requestFromBody(parsed.value, context, validator);
      else problemsOf(parsed.value);
    }
  });

  it('asks the right service for routes it lacks, ids that are no UUID, and queries it refuses', () => {
    for (const fuzzCase of cases) {
      const { route, param } = routeOf(fuzzCase);
      const id = decoded(param);
      switch (fuzzCase.kind) {
        case 'unknown-route':
        case 'wrong-method':
          expect(route, `${fuzzCase.method} ${fuzzCase.path}`).toBe('none');
          break;
        case 'odd-path':
        case 'status-bad-id':
          if (route !== 'none' || fuzzCase.kind === 'status-bad-id') {
            expect(route, fuzzCase.path).toBe('GET /v1/generations/:requestId');
            expect(id !== undefined && isUuid(id), fuzzCase.path).toBe(false);
          }
          break;
        case 'status-unknown-id':
          expect(route).toBe('GET /v1/generations/:requestId');
          expect(isUuid(id ?? ''), fuzzCase.path).toBe(true);
          break;
        case 'bad-search':
          expect(route).toBe('GET /v1/search');
          expect(() => parseSearchQuery(parseQuery(param ?? '')), fuzzCase.path).toThrow();
          break;
        case 'bad-credential':
          // A real route, asked without a valid credential: nothing else is wrong with it.
          expect(route, fuzzCase.path).not.toBe('none');
          expect(fuzzCase).toMatchObject({ anonymous: true, expect: '401' });
          break;
        default:
          expect(isGenerationPost(fuzzCase), fuzzCase.kind).toBe(true);
      }
    }
  });
});

describe('runFuzzCases', () => {
  const seen: { method: string; url: string; bytes: number; chunked: boolean }[] = [];
  const server = http.createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      const url = request.url ?? '';
      seen.push({
        method: request.method ?? '',
        url,
        bytes,
        chunked: 'transfer-encoding' in request.headers,
      });
      answer(url, request, response);
    });
  });
  let base = '';

  function answer(url: string, request: http.IncomingMessage, response: http.ServerResponse): void {
    const json = (status: number, code: string) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code, message: 'no' } }));
    };
    if (url === '/boom') json(500, 'INTERNAL');
    else if (url === '/plain')
      response.writeHead(404, { 'content-type': 'text/html' }).end('<pre>Cannot GET</pre>');
    else if (url === '/fine') response.writeHead(200).end('{}');
    else if (url === '/drop') request.socket.destroy();
    else if (url.startsWith('/v1') && request.headers.authorization !== 'Bearer stub-key')
      json(401, 'UNAUTHENTICATED');
    else if (url !== '/hang') json(400, 'BAD_REQUEST');
  }

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const extra = (id: number, path: string, more: Partial<FuzzCase> = {}): FuzzCase => ({
    id,
    kind: 'probe',
    service: 'generation',
    method: 'GET',
    path,
    headers: {},
    expect: '4xx',
    ...more,
  });

  it('flags every answer that is not a 4xx with a JSON error, and sends every case as written', async () => {
    const generated = generateFuzzCases(72, 3);
    const probes = [
      extra(1_000, '/boom'),
      extra(1_001, '/plain'),
      extra(1_002, '/hang'),
      extra(1_003, '/drop'),
      extra(1_004, '/fine', {
        method: 'POST',
        body: 'y'.repeat(5_000),
        headers: { 'content-type': 'text/plain' },
      }),
      extra(1_005, '/head', { method: 'HEAD' }),
      extra(1_006, '/v1/../raw/%ZZ', { service: 'embedding-indexer' }),
      extra(1_007, '/bytes', { method: 'POST', body: Buffer.from([0xff, 0x00, 0xfe]) }),
      extra(1_008, '/chunks', {
        method: 'POST',
        body: 'z'.repeat(200_000),
        headers: { 'transfer-encoding': 'chunked' },
      }),
    ];
    const progress: number[] = [];
    const all = [...generated, ...probes];
    const report = await runFuzzCases(
      all,
      { generation: base, 'embedding-indexer': `${base}/` },
      {
        concurrency: 5,
        timeoutMs: 500,
        credential: 'stub-key',
        onProgress: (done, total) => progress.push(done / total),
      },
    );
    // The stub answers 401 to a /v1 request without the run's credential: only the anonymous cases.
    const anonymous = generated.filter(
      (fuzzCase) => fuzzCase.anonymous && fuzzCase.path.startsWith('/v1'),
    ).length;
    expect(anonymous).toBeGreaterThan(0);

    expect(report.total).toBe(all.length);
    expect(progress).toHaveLength(all.length);
    expect(progress.at(-1)).toBe(1);
    expect(report.byStatus).toEqual({
      '400': all.length - 5 - anonymous,
      '401': anonymous,
      '500': 1,
      '404': 1,
      '200': 1,
      none: 2,
    });
    expect(report.byKind.probe).toBe(probes.length);
    const problems = Object.fromEntries(report.failures.map((failure) => [failure.case.path, failure]));
    expect(Object.keys(problems).sort()).toEqual(['/boom', '/drop', '/fine', '/hang', '/plain']);
    expect(problems['/boom']).toMatchObject({ status: 500, problem: 'expected a 4xx, got 500' });
    expect(problems['/plain']).toMatchObject({ status: 404, body: '<pre>Cannot GET</pre>' });
    expect(problems['/plain']?.problem).toMatch(/not JSON/);
    expect(problems['/hang']).toMatchObject({ status: null, problem: 'no answer within 500 ms' });
    expect(problems['/drop']?.problem).toMatch(/^network error/);
    expect(problems['/fine']?.case.body).toBe(`${'y'.repeat(200)}… (5000 characters in all)`);

    expect(seen).toContainEqual({ method: 'GET', url: '/v1/../raw/%ZZ', bytes: 0, chunked: false });
    expect(seen).toContainEqual({ method: 'POST', url: '/bytes', bytes: 3, chunked: false });
    expect(seen).toContainEqual({ method: 'POST', url: '/chunks', bytes: 200_000, chunked: true });
    const sentBytes = all.map((fuzzCase) => Buffer.from(fuzzCase.body ?? '').length);
    const sum = (numbers: number[]) => numbers.reduce((a, b) => a + b, 0);
    expect(sum(seen.map((request) => request.bytes))).toBe(sum(sentBytes));

    const text = formatFuzzReport(report);
    expect(text).toContain(`HTTP fuzz: ${all.length} bad requests`);
    expect(text).toContain('500 x1');
    expect(text).toContain('no answer x2');
    expect(text).toMatch(/#1000 probe: GET generation\/boom -> 500: expected a 4xx, got 500/);
  });

  it('reports a clean run in two lines', () => {
    const text = formatFuzzReport({ total: 3, byStatus: { '400': 2, '422': 1 }, byKind: {}, failures: [] });
    expect(text).toBe(
      'HTTP fuzz: 3 bad requests; 3 refused properly (a 4xx with a JSON error), 0 not.\nStatuses: 400 x2, 422 x1.',
    );
  });
});
