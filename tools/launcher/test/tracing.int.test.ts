// One request, one trace: the five bundled services run with tracing on (the libs/tracing preload,
// OTLP to a local Jaeger built by the stack), a request is posted over HTTP with a traceparent of
// this test's own, and Jaeger's API must then hold that trace with spans of all five services, the
// Kafka hops between them and a write to each store.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { jaegerUiUrl, loadStackConfig, stackDown, stackUp, type ServerName } from '@genstream/stack';
import { eventually, serverEnv } from '@genstream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SERVICE_NAMES,
  StoreReader,
  freePorts,
  startServices,
  waitForStores,
  type CacheKeySource,
  type RunningServices,
} from '../src/index.js';

interface JaegerSpan {
  readonly operationName: string;
  readonly processID: string;
  readonly references: readonly { readonly refType: string; readonly spanID: string }[];
  readonly tags: readonly { readonly key: string; readonly value: unknown }[];
}
interface JaegerTrace {
  readonly spans: readonly JaegerSpan[];
  readonly processes: Readonly<Record<string, { readonly serviceName: string }>>;
}

async function traceOf(uiUrl: string, traceId: string): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${uiUrl}/api/traces/${traceId}`);
  if (response.status === 404) return undefined;
  const body = (await response.json()) as { data?: JaegerTrace[] };
  return body.data?.[0];
}

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;

describe('tracing: one request is one trace across the five services', () => {
  const config = loadStackConfig();
  let startedJaeger: readonly ServerName[] = [];
  let system: RunningServices | undefined;
  let reader: StoreReader;
  const created: (CacheKeySource & { requestId: string })[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    const up = await stackUp(config, ['jaeger']);
    startedJaeger = up.started;
    const endpoint = up.servers.find((server) => server.name === 'jaeger')!.address;
    const env = serverEnv();
    const ports = await freePorts(SERVICE_NAMES.length);
    system = await startServices({
      env: { ...process.env, ...env, LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
      ports: Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, ports[i]!])),
      onLine: (service, line) => output.push(`${service} | ${line}`),
      timeoutMs: 100_000,
    });
    reader = await StoreReader.connect(env);
  }, 900_000); // a first run builds Jaeger from the Go module proxy

  afterAll(async () => {
    await system?.stop(20_000);
    if (reader) {
      await reader.removeContent(created);
      await reader.close();
    }
    if (startedJaeger.length > 0) await stackDown(config, startedJaeger);
  });

  it("holds spans of every service, each Kafka hop and a write to each store, under the caller's trace id", async () => {
    const traceId = randomBytes(16).toString('hex');
    const userId = randomInt(1_000_000, 9_000_000);
    const prompt = `Summarise the notice ${randomUUID()}: the harbour crane is out of service until Friday.`;
    const body = { userId, title: 'a traced notice', prompt, model: 'local' };
    const response = await fetch(`${system!.url('generation')}/v1/generations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${system!.apiKey}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
    const { requestId } = (await response.json()) as { requestId: string };
    created.push({ requestId, userId, prompt, model: 'local' });
    await waitForStores(reader, [requestId], { timeoutMs: 60_000 });

    const services = (trace: JaegerTrace) =>
      new Set(trace.spans.map((span) => trace.processes[span.processID]!.serviceName));
    let trace: JaegerTrace | undefined;
    await eventually(
      async () => {
        trace = await traceOf(jaegerUiUrl(config), traceId);
        // The embedding-indexer's publish of content.indexed is the last span of the request.
        return trace !== undefined && SERVICE_NAMES.every((name) => services(trace!).has(name));
      },
      `trace ${traceId} in Jaeger with spans of all five services`,
      30_000,
    ).catch((error: Error) => {
      const seen = trace ? [...services(trace)].join(', ') : 'no trace';
      throw new Error(`${error.message} (seen: ${seen}); output:\n${output.slice(-30).join('\n')}`);
    });

    const spans = trace!.spans;
    const serviceOf = (span: JaegerSpan) => trace!.processes[span.processID]!.serviceName;
    const named = (name: string, service: string) =>
      spans.filter((span) => span.operationName === name && serviceOf(span) === service);
    // Printed for whoever reads the log: what the trace holds, span by span.
    process.stderr.write(
      `trace ${traceId}: ${spans.length} spans\n` +
        spans.map((span) => `  ${serviceOf(span)}: ${span.operationName}`).join('\n') +
        '\n',
    );
    // The HTTP request, then one consumer span per record in each consuming service.
    const post = named('POST /v1/generations', 'generation');
    expect(post).toHaveLength(1);
    expect(tag(post[0]!, 'http.route')).toBe('/v1/generations');
    expect(named('process genstream.generation.requested', 'generation')).toHaveLength(1);
    for (const writer of ['metadata-writer', 'document-writer', 'cache-updater', 'embedding-indexer'])
      expect(named('process genstream.content.generated', writer), writer).toHaveLength(1);
    // Every consumer span has a parent in the trace: the context crossed each Kafka hop.
    const ids = new Set(spans.map((span) => (span as unknown as { spanID: string }).spanID));
    for (const span of spans.filter((s) => s.operationName.startsWith('process ')))
      expect(span.references.some((ref) => ref.refType === 'CHILD_OF' && ids.has(ref.spanID))).toBe(true);
    // A write to each store, by the maintained instrumentations, under the writers' handle spans.
    const databases = (service: string) =>
      new Set(
        spans
          .filter((span) => serviceOf(span) === service)
          .map((span) => tag(span, 'db.system.name') ?? tag(span, 'db.system')),
      );
    expect(databases('metadata-writer')).toContain('postgresql');
    expect(databases('document-writer')).toContain('mongodb');
    expect(databases('cache-updater')).toContain('redis');
    expect(databases('embedding-indexer')).toContain('redis');
  });
});
