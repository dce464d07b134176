import http from 'node:http';
import https from 'node:https';
import type { FuzzCase, FuzzService } from './http-fuzz-cases.js';

/** Sends the cases of generateFuzzCases and checks every answer is a 4xx with a JSON error. */

export interface FuzzFailure {
  /** The case, its body cut to 200 characters for display. */
  readonly case: FuzzCase;
  /** null: no answer (network error or timeout). */
  readonly status: number | null;
  /** The first 300 characters of the answer. */
  readonly body: string;
  readonly problem: string;
}

export interface FuzzReport {
  readonly total: number;
  /** Answers by HTTP status; `none` for no answer. */
  readonly byStatus: Record<string, number>;
  /** Cases sent by kind. */
  readonly byKind: Record<string, number>;
  readonly failures: FuzzFailure[];
}

export interface FuzzRunOptions {
  /** Requests in flight at once; default 8. */
  readonly concurrency?: number;
  /** Per request; no answer by then is a failure (a hang). Default 10 s. */
  readonly timeoutMs?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Sent as `Authorization: Bearer` with every case but the anonymous ones. */
  readonly credential?: string;
}

// Sending

interface Answer {
  readonly status: number | null;
  readonly body: string;
  /** Set when there was no complete answer: a network error or a timeout. */
  readonly error?: string;
}

// Error bodies are small; keep enough to check the JSON, not a whole page.
const KEPT_ANSWER_BYTES = 64 * 1_024;
const CHUNK_BYTES = 64 * 1_024;

/**
 * Sends every case (at most `concurrency` at once) and checks each answer: a 4xx, with a JSON
 * error body except for HEAD. node:http rather than fetch, which normalises paths (`..`),
 * refuses some methods and bodies, and cannot send a body chunked on demand.
 */
export async function runFuzzCases(
  cases: readonly FuzzCase[],
  baseUrls: Record<FuzzService, string>,
  options: FuzzRunOptions = {},
): Promise<FuzzReport> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const answers: Answer[] = new Array<Answer>(cases.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const fuzzCase = cases[index]!;
      const sent =
        options.credential && !fuzzCase.anonymous ? withCredential(fuzzCase, options.credential) : fuzzCase;
      answers[index] = await send(sent, baseUrls[fuzzCase.service], timeoutMs);
      options.onProgress?.(++done, cases.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
  return reportOf(cases, answers);
}

function withCredential(fuzzCase: FuzzCase, credential: string): FuzzCase {
  return { ...fuzzCase, headers: { authorization: `Bearer ${credential}`, ...fuzzCase.headers } };
}

function send(fuzzCase: FuzzCase, baseUrl: string | undefined, timeoutMs: number): Promise<Answer> {
  if (baseUrl === undefined) {
    return Promise.resolve({ status: null, body: '', error: `no base URL for ${fuzzCase.service}` });
  }
  return new Promise((resolve) => {
    let request: http.ClientRequest | undefined;
    let settled = false;
    const finish = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const timer = setTimeout(() => {
      finish({ status: null, body: '', error: `no answer within ${timeoutMs} ms` });
      request?.destroy();
    }, timeoutMs);
    try {
      request = startRequest(fuzzCase, new URL(baseUrl), finish);
    } catch (error) {
      finish({ status: null, body: '', error: `could not send: ${messageOf(error)}` });
    }
  });
}

function startRequest(fuzzCase: FuzzCase, base: URL, finish: (answer: Answer) => void): http.ClientRequest {
  const body = fuzzCase.body === undefined ? undefined : Buffer.from(fuzzCase.body);
  const chunked = Object.keys(fuzzCase.headers).some((name) => name.toLowerCase() === 'transfer-encoding');
  const headers = {
    ...fuzzCase.headers,
    ...(body && !chunked ? { 'content-length': String(body.length) } : {}),
  };
  const client = base.protocol === 'https:' ? https : http;
  let answered = false;
  const request = client.request(
    {
      protocol: base.protocol,
      // URL keeps the brackets of an IPv6 host; node:http wants the bare address.
      hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: base.port,
      method: fuzzCase.method,
      path: base.pathname.replace(/\/$/, '') + fuzzCase.path,
      headers,
      // A connection per case: a case that breaks its connection cannot fail the next one.
      agent: false,
    },
    (response) => {
      answered = true;
      readAnswer(response, finish);
    },
  );
  // Once the status is in, the server closing while the body was still going out is no failure.
  request.on('error', (error) => {
    if (!answered) finish({ status: null, body: '', error: `network error: ${messageOf(error)}` });
  });
  writeBody(request, body, chunked);
  return request;
}

function readAnswer(response: http.IncomingMessage, finish: (answer: Answer) => void): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  const text = () => Buffer.concat(chunks).toString('utf8');
  response.on('data', (chunk: Buffer) => {
    if (kept >= KEPT_ANSWER_BYTES) return;
    chunks.push(chunk);
    kept += chunk.length;
  });
  response.on('end', () => finish({ status: response.statusCode ?? null, body: text() }));
  response.on('error', (error) =>
    finish({ status: response.statusCode ?? null, body: text(), error: `answer cut: ${messageOf(error)}` }),
  );
  response.on('close', () => {
    if (!response.complete) {
      finish({ status: response.statusCode ?? null, body: text(), error: 'answer cut: connection closed' });
    }
  });
}

function writeBody(request: http.ClientRequest, body: Buffer | undefined, chunked: boolean): void {
  if (body === undefined) {
    request.end();
    return;
  }
  if (!chunked) {
    request.end(body);
    return;
  }
  for (let start = 0; start < body.length; start += CHUNK_BYTES) {
    request.write(body.subarray(start, start + CHUNK_BYTES));
  }
  request.end();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Judging and reporting

function problemOf(fuzzCase: FuzzCase, answer: Answer): string | undefined {
  if (answer.error !== undefined) return answer.error;
  const status = answer.status ?? 0;
  if (status < 400 || status > 499) return `expected a 4xx, got ${status}`;
  if (fuzzCase.expect === '401' && status !== 401) return `expected 401 for a bad credential, got ${status}`;
  if (fuzzCase.method === 'HEAD') return undefined;
  if (!isErrorBody(answer.body)) return 'the 4xx body is not JSON {"error":{"code":"...","message":"..."}}';
  return undefined;
}

function isErrorBody(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } } | null;
    const error = parsed?.error;
    return typeof error?.code === 'string' && error.code !== '' && typeof error.message === 'string';
  } catch {
    return false;
  }
}

function reportOf(cases: readonly FuzzCase[], answers: readonly Answer[]): FuzzReport {
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  cases.forEach((fuzzCase, i) => {
    const answer = answers[i]!;
    const status = answer.status === null ? 'none' : String(answer.status);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    byKind[fuzzCase.kind] = (byKind[fuzzCase.kind] ?? 0) + 1;
    const problem = problemOf(fuzzCase, answer);
    if (problem === undefined) return;
    failures.push({
      case: forDisplay(fuzzCase),
      status: answer.status,
      body: answer.body.slice(0, 300),
      problem,
    });
  });
  return { total: cases.length, byStatus, byKind, failures };
}

const SHOWN_BODY_CHARS = 200;

/** The case with its body as text (invalid bytes shown as U+FFFD), cut to SHOWN_BODY_CHARS. */
function forDisplay(fuzzCase: FuzzCase): FuzzCase {
  const { body } = fuzzCase;
  if (body === undefined) return fuzzCase;
  if (body.length <= SHOWN_BODY_CHARS) return { ...fuzzCase, body: body.toString() };
  const text =
    typeof body === 'string' ? body.slice(0, SHOWN_BODY_CHARS) : body.subarray(0, SHOWN_BODY_CHARS);
  const size = `${body.length} ${typeof body === 'string' ? 'characters' : 'bytes'}`;
  return { ...fuzzCase, body: `${text.toString()}… (${size} in all)` };
}

const SHOWN_FAILURES = 10;
const SHOWN_PATH_CHARS = 100;

/** A few lines for a person: how many cases, which statuses, and the first failures. */
export function formatFuzzReport(report: FuzzReport): string {
  const statuses = Object.entries(report.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status === 'none' ? 'no answer' : status} x${n}`)
    .join(', ');
  const failed = report.failures.length;
  const lines = [
    `HTTP fuzz: ${report.total} bad requests; ${report.total - failed} refused properly (a 4xx with a JSON error), ${failed} not.`,
    `Statuses: ${statuses || 'none'}.`,
  ];
  if (report.failures.length === 0) return lines.join('\n');
  lines.push(
    `Failures (first ${Math.min(SHOWN_FAILURES, report.failures.length)} of ${report.failures.length}):`,
  );
  for (const failure of report.failures.slice(0, SHOWN_FAILURES)) {
    const { id, kind, service, method, path } = failure.case;
    const shownPath = path.length > SHOWN_PATH_CHARS ? `${path.slice(0, SHOWN_PATH_CHARS)}…` : path;
    const status = failure.status === null ? 'no answer' : String(failure.status);
    lines.push(`  #${id} ${kind}: ${method} ${service}${shownPath} -> ${status}: ${failure.problem}`);
  }
  return lines.join('\n');
}
