// The whole pipeline on the real servers: the five services as child processes (on free ports, with
// the harness's servers), fed on Kafka as an upstream producer would, checked in all four stores.
// It uses the real topic names and the shared database, Mongo collection and Redis keys, so every
// assertion is about this run's request ids only, and nothing is deleted.
import { randomInt, randomUUID } from 'node:crypto';
import { TOPICS, contentIdOf, type GenerationRequested } from '@genstream/events';
import { serverEnv } from '@genstream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KafkaProbe,
  SERVICE_NAMES,
  StoreReader,
  fetchMetrics,
  formatLatency,
  freePorts,
  freshRequest,
  measurePublishToStores,
  metricValue,
  startServices,
  waitForStores,
  GenstreamClient,
  HttpError,
  MODEL_CALLS_METRIC,
  type CacheKeySource,
  type RunningServices,
  type StopReport,
} from '../src/index.js';

const N = 20;
const WRITER_GROUPS = ['metadata-writer', 'document-writer', 'cache-updater', 'embedding-indexer'].map(
  (name) => `genstream.${name}`,
);

const SUBJECTS: readonly (readonly [string, string])[] = [
  ['a ferry timetable change', 'The morning ferry to the island leaves at {n}:15 from next Monday.'],
  ['a library opening', 'The new branch library opens with {n} reading desks and a repair cafe.'],
  ['a bakery menu', 'The bakery adds a rye sourdough that proofs for {n} hours.'],
  ['a bicycle recall', 'Frames built in week {n} may crack near the seat post.'],
  ['a telescope night', 'The observatory opens its {n} centimetre telescope to visitors on Friday.'],
  ['a water outage', 'Water will be off in {n} streets of the old town on Tuesday morning.'],
  ['a chess tournament', 'The rapid chess open drew {n} players from nine clubs.'],
  ['a vineyard harvest', 'The harvest brought {n} tonnes of grapes despite a dry August.'],
  ['a museum loan', 'The museum lends {n} ceramic bowls to a touring exhibition.'],
  ['a glacier survey', 'The glacier lost {n} metres of thickness since the last survey.'],
];

/** Distinct texts per request and per run: fresh users, numbers no earlier run used. */
function requestsOfThisRun(count: number): GenerationRequested[] {
  const run = randomUUID().slice(0, 8);
  const userBase = randomInt(100_000, 900_000) * 100;
  return Array.from({ length: count }, (_, i) => {
    const [subject, fact] = SUBJECTS[i % SUBJECTS.length]!;
    const n = randomInt(10, 99_999);
    return freshRequest({
      userId: userBase + (i % 7),
      title: `e2e ${run} #${i}: notice about ${subject}`,
      prompt:
        `Write a short public notice about ${subject} (reference ${run}-${i}). ` +
        `${fact.replace('{n}', String(n))} ` +
        `Residents asked for the details in case number ${n * 7 + i}. ` +
        'Keep it friendly, factual and under eighty words.',
    });
  });
}

describe('the pipeline end to end: five services, four stores', () => {
  let system: RunningServices;
  let reader: StoreReader;
  let probe: KafkaProbe;
  let client: GenstreamClient;
  const output: string[] = [];
  const requests = requestsOfThisRun(N);
  const ids = requests.map((r) => r.requestId);
  /** Every request this run made, to remove their content at the end. */
  const created: (CacheKeySource & { requestId: string })[] = [...requests];

  beforeAll(async () => {
    const env = serverEnv();
    const ports = await freePorts(SERVICE_NAMES.length);
    system = await startServices({
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      ports: Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, ports[i]!])),
      onLine: (service, line) => output.push(`${service} | ${line}`),
      timeoutMs: 100_000,
    });
    reader = await StoreReader.connect(env);
    probe = await KafkaProbe.connect({ brokers: env.KAFKA_BROKERS, registryUrl: env.SCHEMA_REGISTRY_URL });
    await probe.watch();
    client = new GenstreamClient(system.url('generation'), system.url('embedding-indexer'), {
      apiKey: system.apiKey,
    });
  });

  afterAll(async () => {
    await probe?.close();
    const reports: StopReport[] = (await system?.stop(20_000)) ?? [];
    // What this run wrote goes again (GENSTREAM_E2E_KEEP_DATA=1 keeps it to look at); nothing else.
    if (reader && process.env.GENSTREAM_E2E_KEEP_DATA !== '1') {
      await reader.removeContent(created);
      const createdIds = created.map((r) => r.requestId);
      expect((await reader.contentRows(createdIds)).size).toBe(0);
      expect((await reader.contentDocuments(createdIds)).size).toBe(0);
      expect((await reader.statuses(createdIds)).size).toBe(0);
      expect((await reader.vectorElements(createdIds.map(contentIdOf))).size).toBe(0);
    }
    await reader?.close();
    const unclean = reports.filter((r) => r.outcome !== 'exited' || r.exit.code !== 0 || !r.exit.requested);
    if (unclean.length > 0) {
      process.stderr.write(`services output (last 80 lines):\n${output.slice(-80).join('\n')}\n`);
    }
    // Every service stops on SIGTERM, in time, with exit code 0 (and none crashed before).
    expect(
      reports.map((r) => ({
        name: r.name,
        outcome: r.outcome,
        code: r.exit.code,
        requested: r.exit.requested,
      })),
    ).toEqual(SERVICE_NAMES.map((name) => ({ name, outcome: 'exited', code: 0, requested: true })));
  });

  it(`${N} requests published as Avro on Kafka are in all four stores with matching fields`, async () => {
    await probe.publishRequests(requests);
    await waitForStores(reader, ids, { timeoutMs: 90_000 });

    const [rows, documents, statuses] = await Promise.all([
      reader.contentRows(ids),
      reader.contentDocuments(ids),
      reader.statuses(ids),
    ]);
    const vectors = await reader.vectorElements(ids.map((id) => contentIdOf(id)));
    for (const request of requests) {
      const contentId = contentIdOf(request.requestId);
      const row = rows.get(request.requestId);
      expect(row, `PostgreSQL rows of ${request.requestId}`).toHaveLength(1);
      const pg = row![0]!;
      expect(pg).toMatchObject({
        content_id: contentId,
        user_id: String(request.userId),
        title: request.title,
        prompt: request.prompt,
        requested_model: 'local',
        cache_hit: 'NONE',
      });
      expect(pg.model_name).toBe(pg.model_used);
      expect(pg.output.length).toBeGreaterThan(0);
      expect(pg.requested_at.getTime()).toBe(request.requestedAt);

      expect(documents.get(request.requestId), `MongoDB document of ${request.requestId}`).toMatchObject({
        _id: contentId,
        requestId: request.requestId,
        userId: request.userId,
        title: request.title,
        modelUsed: pg.model_used,
        summary: pg.output,
        generatedAt: pg.generated_at,
        cacheHit: 'NONE',
      });

      expect(statuses.get(request.requestId)).toMatchObject({
        state: 'done',
        contentId,
        output: pg.output,
        modelUsed: pg.model_used,
        cacheHit: 'NONE',
        generatedAt: pg.generated_at.getTime(),
      });
      const cached = await reader.cacheEntry(request);
      expect(cached?.value, `cache entry of ${request.requestId}`).toMatchObject({
        contentId,
        output: pg.output,
      });
      expect(cached!.ttlSeconds).toBeGreaterThan(0);

      const vector = vectors.get(contentId);
      expect(vector?.attributes, `vector set element ${contentId}`).toMatchObject({
        userId: request.userId,
        title: request.title,
        model: pg.model_used,
      });
      expect(vector!.doc).toEqual({ title: request.title, output: pg.output });
    }
    // The embedding indexer announced each one on genstream.content.indexed.
    const indexed = await probe.waitIndexed(ids, 30_000);
    indexed.forEach(({ event }, i) =>
      expect(event).toMatchObject({
        requestId: ids[i],
        contentId: contentIdOf(ids[i]!),
        userId: requests[i]!.userId,
        vectorSet: 'genstream:vs:content',
      }),
    );
    // Each user's summary is one of its outputs, with a TTL.
    for (const userId of new Set(requests.map((r) => r.userId))) {
      const summary = await reader.userSummary(userId);
      const outputs = requests
        .filter((r) => r.userId === userId)
        .map((r) => rows.get(r.requestId)![0]!.output);
      expect(outputs).toContain(summary?.value);
      expect(summary!.ttlSeconds).toBeGreaterThan(0);
    }
  }, 120_000);

  it('publishing the same ContentGenerated records again (a redelivery) changes nothing', async () => {
    const generated = await probe.waitGenerated(ids);
    const cacheTtlsBefore = await Promise.all(
      requests.map(async (r) => (await reader.cacheEntry(r))!.ttlSeconds),
    );
    await probe.republish(
      TOPICS.ContentGenerated,
      generated.map((g) => g.raw),
    );
    // Every writer has handled (and committed) everything up to and including the copies.
    await probe.waitGroupsCaughtUp(WRITER_GROUPS, TOPICS.ContentGenerated, 60_000);

    const [rows, documentCounts, statuses] = await Promise.all([
      reader.contentRows(ids),
      reader.documentCountsByRequestId(ids),
      reader.statuses(ids),
    ]);
    expect([...rows.values()].map((r) => r.length)).toEqual(Array(N).fill(1));
    expect([...documentCounts.values()]).toEqual(Array(N).fill(1));
    expect([...statuses.values()].map((s) => s.state)).toEqual(Array(N).fill('done'));
    const vectors = await reader.vectorElements(generated.map((g) => g.event.contentId));
    expect(vectors.size).toBe(N);
    // A replay never extends a cached answer's life (its expiry counts from generatedAt).
    const cacheTtlsAfter = await Promise.all(
      requests.map(async (r) => (await reader.cacheEntry(r))!.ttlSeconds),
    );
    cacheTtlsAfter.forEach((ttl, i) => expect(ttl).toBeLessThanOrEqual(cacheTtlsBefore[i]!));
  }, 120_000);

  it('answers a repeated request from the cache, with no model call', async () => {
    const first = requests[3]!;
    const metricsBefore = await fetchMetrics(system.url('generation'));
    expect(metricsBefore).toContain(`# TYPE ${MODEL_CALLS_METRIC} counter`); // so the check below means something
    const modelCallsBefore = metricValue(metricsBefore, MODEL_CALLS_METRIC);
    const again = { ...first, requestId: randomUUID(), correlationId: randomUUID(), requestedAt: Date.now() };
    created.push(again);
    await probe.publishRequests([again]);
    const [generated] = await probe.waitGenerated([again.requestId]);
    await waitForStores(reader, [again.requestId]);
    const firstRow = (await reader.contentRows([first.requestId])).get(first.requestId)![0]!;

    expect(generated!.event).toMatchObject({
      requestId: again.requestId,
      contentId: contentIdOf(again.requestId),
      cacheHit: 'EXACT',
      output: firstRow.output,
      modelUsed: firstRow.model_used,
    });
    expect(await reader.statuses([again.requestId])).toEqual(
      new Map([[again.requestId, expect.objectContaining({ state: 'done', cacheHit: 'EXACT' })]]),
    );
    expect((await reader.contentRows([again.requestId])).get(again.requestId)![0]!.cache_hit).toBe('EXACT');
    const modelCallsAfter = metricValue(await fetchMetrics(system.url('generation')), MODEL_CALLS_METRIC);
    expect(modelCallsAfter - modelCallsBefore).toBe(0);
  }, 60_000);

  it('reports an invalid request (empty prompt) on genstream.generation.failed', async () => {
    const invalid = freshRequest({ prompt: '' });
    created.push(invalid);
    await probe.publishRequests([invalid]);
    const failed = await probe.waitFailed(invalid.requestId);
    expect(failed.event).toMatchObject({
      requestId: invalid.requestId,
      userId: invalid.userId,
      retriable: false,
      service: 'generation',
    });
    expect(failed.event.reasonCode).toMatch(/INVALID|CONTRACT_VIOLATION/);
    // The cache-updater records the failure for clients polling GET /v1/generations/{requestId}.
    await expect
      .poll(async () => (await reader.statuses([invalid.requestId])).get(invalid.requestId), {
        timeout: 15_000,
      })
      .toMatchObject({ state: 'failed', code: failed.event.reasonCode });
    expect((await reader.contentRows([invalid.requestId])).size).toBe(0);
    expect(await client.status(invalid.requestId)).toMatchObject({
      requestId: invalid.requestId,
      state: 'failed',
    });
  }, 60_000);

  it('takes requests over HTTP too: 202, then done, in all four stores; an empty prompt is refused', async () => {
    const [request] = requestsOfThisRun(1);
    const { userId, title, prompt, model } = request!;
    const accepted = await client.requestGeneration({ userId, title, prompt, model });
    created.push({ requestId: accepted.requestId, userId, prompt, model });
    expect(accepted).toMatchObject({ status: 'accepted' });
    expect(accepted.statusUrl).toContain(accepted.requestId);
    const done = await client.waitFinished(accepted.requestId, 30_000);
    expect(done).toMatchObject({
      requestId: accepted.requestId,
      state: 'done',
      contentId: contentIdOf(accepted.requestId),
      cacheHit: 'NONE',
    });
    await waitForStores(reader, [accepted.requestId], { timeoutMs: 30_000 });

    const refused = await client.requestGeneration({ userId, title, prompt: '   ', model }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBeGreaterThanOrEqual(400);
    expect((refused as HttpError).status).toBeLessThan(500);
  }, 60_000);

  it('finds an indexed text first when searching for it', async () => {
    for (const request of [requests[0]!, requests[7]!, requests[13]!]) {
      const contentId = contentIdOf(request.requestId);
      const row = (await reader.contentRows([request.requestId])).get(request.requestId)![0]!;
      const { results } = await client.search(row.output, 5);
      const shown = results
        .map((hit) => `${hit.score.toFixed(3)} ${hit.contentId} "${hit.title}"`)
        .join('; ');
      expect(
        results[0]?.contentId,
        `search for the output of ${contentId} "${request.title}": ${shown}`,
      ).toBe(contentId);
      expect(results[0]).toMatchObject({ title: request.title, output: row.output, userId: request.userId });
      // Restricted to its user, it is still first.
      const own = await client.search(row.output, 3, request.userId);
      expect(own.results[0]?.contentId).toBe(contentId);
      expect(own.results.every((hit) => hit.userId === request.userId)).toBe(true);
    }
  }, 60_000);

  it('serves the OpenAPI 3.1 document of each bundled service on /openapi.json', async () => {
    for (const name of SERVICE_NAMES) {
      const response = await fetch(`${system.url(name)}/openapi.json`);
      expect(response.status, name).toBe(200);
      const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi, name).toBe('3.1.0');
      expect(Object.keys(document.paths), name).toEqual(expect.arrayContaining(['/health', '/openapi.json']));
    }
  });

  it('measures the time from publishing one request to its being in all four stores', async () => {
    const summary = await measurePublishToStores(probe, reader, 5);
    created.push(...summary.requests);
    process.stdout.write(`\n${formatLatency(summary)}\n\n`);
    expect(summary.medianAllMs).toBeLessThan(10_000);
  }, 120_000);
});
