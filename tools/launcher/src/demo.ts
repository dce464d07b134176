// `npm run demo`: a handful of realistic generation requests through the running system, and where
// each one ended up: its PostgreSQL row, its MongoDB document, its Redis keys and its nearest
// neighbours; then one request again, answered from the response cache.
// Expects `npm start` running in another terminal; `npm run demo -- --start` starts the stack and
// the services itself and stops the services at the end.
import { randomBytes } from 'node:crypto';
import { ENV_VAR, jaegerUiUrl, loadStackConfig, progressFor } from '@genstream/stack';
import {
  GenstreamClient,
  MODEL_CALLS_METRIC,
  fetchMetrics,
  metricValue,
  type SearchResult,
} from './client.js';
import { demoRequests, type DemoRequest } from './demo-requests.js';
import { cut, formatRequestReport, ms, type RequestReport } from './demo-report.js';
import { waitForStores, type Arrival } from './materialized.js';
import { SystemNotRunningError, useSystem } from './running-system.js';
import { StoreReader, type StoreUrls } from './stores.js';

const say = progressFor('demo');
const WAIT_MS = 60_000;

class DemoFailure extends Error {}

async function main(args: readonly string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--start');
  if (unknown.length > 0) {
    throw new DemoFailure(`unknown argument ${unknown.join(' ')} (usage: npm run demo [-- --start])`);
  }
  await using system = await useSystem('demo', args.includes('--start'), say);
  const client = new GenstreamClient(system.url('generation'), system.url('embedding-indexer'), {
    apiKey: system.apiKey,
  });
  const tracing = system.serverEnv[ENV_VAR.jaeger] !== undefined;
  return await runDemo(client, system.serverEnv as unknown as StoreUrls, tracing);
}

interface Sent {
  readonly request: DemoRequest;
  readonly requestId: string;
  readonly doneMs: number;
  readonly arrival: Arrival;
  /** Where its trace is, when the stack's Jaeger runs. */
  readonly traceUrl?: string;
}

async function runDemo(client: GenstreamClient, urls: StoreUrls, tracing: boolean): Promise<number> {
  await using reader = await StoreReader.connect(urls);
  const requests = demoRequests();
  say(`sending ${requests.length} requests to POST ${client.generationUrl}/v1/generations, one at a time`);
  const sent: Sent[] = [];
  for (const [i, request] of requests.entries()) {
    const result = await send(client, reader, request, tracing);
    say(
      `${i + 1}/${requests.length} "${request.title}": done in ${ms(result.doneMs)}, ` +
        `in all four stores after ${ms(result.arrival.allMs)}` +
        (result.traceUrl ? `; its trace: ${result.traceUrl}` : ''),
    );
    sent.push(result);
  }

  say('reading back what each store holds');
  process.stdout.write(
    '\nTimes count from the POST. The MongoDB time is an upper bound: FerretDB scans its collection to\n' +
      'say a document is not there yet, so each poll of it takes longer than the write itself.\n',
  );
  const ids = sent.map((s) => s.requestId);
  const [rows, documents, statuses, vectors] = await Promise.all([
    reader.contentRows(ids),
    reader.contentDocuments(ids),
    reader.statuses(ids),
    reader.vectorElements(sent.map((s) => s.arrival.contentId)),
  ]);
  for (const [i, s] of sent.entries()) {
    const document = documents.get(s.requestId);
    const report: RequestReport = {
      index: i + 1,
      total: sent.length,
      user: s.request.user,
      userId: s.request.userId,
      title: s.request.title,
      requestId: s.requestId,
      doneMs: s.doneMs,
      arrival: s.arrival,
      row: rows.get(s.requestId)?.[0],
      rowCount: rows.get(s.requestId)?.length ?? 0,
      document,
      status: statuses.get(s.requestId),
      summary: await reader.userSummary(s.request.userId),
      cacheEntry: await reader.cacheEntry({
        ...s.request,
        parameters: document?.parameters as Record<string, number | string | null> | undefined,
        cacheScope: document?.cacheScope as 'USER' | undefined,
        tenant: document?.tenant as string | null | undefined,
      }),
      vector: vectors.get(s.arrival.contentId),
      neighbours: await neighbours(client, s),
    };
    process.stdout.write(`\n${formatRequestReport(report)}\n`);
  }

  return await repeatFromCache(client, reader, sent[0]!);
}

async function send(
  client: GenstreamClient,
  reader: StoreReader,
  request: DemoRequest,
  tracing: boolean,
): Promise<Sent> {
  const started = Date.now();
  const { userId, title, prompt, model } = request;
  // With Jaeger running, the demo starts each request's trace itself, so it knows where to find it.
  const traceId = tracing ? randomBytes(16).toString('hex') : undefined;
  const headers: Record<string, string> = traceId
    ? { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` }
    : {};
  const accepted = await client.requestGeneration({ userId, title, prompt, model }, headers);
  const status = await client.waitFinished(accepted.requestId, WAIT_MS);
  if (status.state === 'failed') {
    throw new DemoFailure(
      `request "${title}" (${accepted.requestId}) failed: ${JSON.stringify(status.error)}`,
    );
  }
  const doneMs = Date.now() - started;
  const arrivals = await waitForStores(reader, [accepted.requestId], { since: started, timeoutMs: WAIT_MS });
  const traceUrl = traceId ? `${jaegerUiUrl(loadStackConfig())}/trace/${traceId}` : undefined;
  return {
    request,
    requestId: accepted.requestId,
    doneMs,
    arrival: arrivals.get(accepted.requestId)!,
    traceUrl,
  };
}

/**
 * Its 3 nearest neighbours by its title, in the whole index (which also holds what earlier demos,
 * tests and benchmarks wrote): each title once, and for its own title only itself.
 */
async function neighbours(client: GenstreamClient, s: Sent): Promise<SearchResult[]> {
  const { results } = await client.search(s.request.title, 30);
  const titles = new Set<string | null>([s.request.title]);
  const own = results.filter((hit) => hit.contentId === s.arrival.contentId);
  const others = results.filter((hit) => !titles.has(hit.title) && titles.add(hit.title));
  return [...own, ...others].sort((a, b) => b.score - a.score).slice(0, 3);
}

async function repeatFromCache(client: GenstreamClient, reader: StoreReader, first: Sent): Promise<number> {
  const { request } = first;
  process.stdout.write(
    `\nThe same request again (user ${request.userId}, same prompt and model, a new requestId):\n`,
  );
  const modelCallsBefore = await modelCalls(client);
  const again = await send(client, reader, request, first.traceUrl !== undefined);
  const modelCallsAfter = await modelCalls(client);
  const [status] = (await reader.statuses([again.requestId])).values();
  const rows = await reader.contentRows([first.requestId, again.requestId]);
  const firstRow = rows.get(first.requestId)?.[0];
  const againRow = rows.get(again.requestId)?.[0];
  const cacheHit = status?.state === 'done' ? status.cacheHit : '(no done status)';
  const lines = [
    `  requestId ${again.requestId}   contentId ${again.arrival.contentId}`,
    `  cacheHit ${cacheHit} (the first: ${firstRow?.cache_hit ?? '?'})`,
    `  POST to status done: ${ms(again.doneMs)} (the first: ${ms(first.doneMs)}); ` +
      `in all four stores: ${ms(again.arrival.allMs)} (the first: ${ms(first.arrival.allMs)})`,
    `  generation's own time (latency_ms): ${againRow?.latency_ms ?? '?'} ms (the first: ${firstRow?.latency_ms ?? '?'} ms)`,
    `  same output as the first: ${againRow && firstRow && againRow.output === firstRow.output ? 'yes' : 'NO'}` +
      `  "${cut(againRow?.output ?? '', 70)}"`,
  ];
  if (modelCallsBefore !== undefined && modelCallsAfter !== undefined) {
    lines.push(
      `  model calls during the repeat (${MODEL_CALLS_METRIC}): ${modelCallsAfter - modelCallsBefore}`,
    );
  }
  if ((firstRow?.latency_ms ?? 0) < 50) {
    lines.push(
      "  (the built-in 'local' model answers in a few ms, so the cache saves little here; start the system " +
        'with LLM_LOCAL_LATENCY_MS=800 npm start to see what it saves with a model that takes 0.8 s)',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  if (cacheHit !== 'EXACT') {
    throw new DemoFailure(`the repeated request was not answered from the cache (cacheHit ${cacheHit})`);
  }
  say('done: every request reached all four stores, and the repeat came from the cache');
  return 0;
}

async function modelCalls(client: GenstreamClient): Promise<number | undefined> {
  try {
    const text = await fetchMetrics(client.generationUrl);
    return text.includes(MODEL_CALLS_METRIC) ? metricValue(text, MODEL_CALLS_METRIC) : undefined;
  } catch {
    return undefined;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\ndemo failed: ${error.message}`);
    process.exit(error instanceof SystemNotRunningError ? 2 : 1);
  },
);
