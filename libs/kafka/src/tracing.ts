import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  createContextKey,
  propagation,
  trace,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

/**
 * Trace context through Kafka, with the OpenTelemetry API only: without a tracer provider (the
 * default; @genstream/tracing installs one when the OTEL_* variables ask for it) every call below
 * is skipped or a no-op.
 *
 * Why not the kafkajs instrumentation: the runtime sends coalesced batches and hands its handlers
 * whole batches, so that instrumentation would give every record the context of whichever flush or
 * batch carried it. Here each record keeps its own: its consumer span is a child of the context in
 * its headers, and events published while handling it carry that span on (matched by record key,
 * the request id), so one request is one trace across every service.
 */
const tracer = trace.getTracer('@genstream/kafka');

/** The contexts of the records a handler is working on, by record key. */
const RECORD_CONTEXTS = createContextKey('genstream.kafka.record-contexts');

/** True once a tracer provider and a propagator are installed; checked per batch, not per call. */
export function tracingOn(): boolean {
  return propagation.fields().length > 0;
}

/**
 * Writes the trace context into a record's headers: that of the consumed record with the same key
 * when a handler publishes while handling it, else the caller's (e.g. the HTTP request's span).
 */
export function injectTraceContext(key: string | null, headers: Record<string, string>): void {
  const active = context.active();
  const contexts = active.getValue(RECORD_CONTEXTS) as ReadonlyMap<string, Context> | undefined;
  propagation.inject((key !== null && contexts?.get(key)) || active, headers);
}

export interface TracedRecord {
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** The spans of one handler call: one per record, and the call's own. */
export interface BatchTrace {
  /** Runs the handler inside the batch span, with every record's context reachable by its key. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Ends the record spans: `failed` holds the offsets that did not succeed, with why. */
  end(failed: ReadonlyMap<string, string>): void;
}

const UNTRACED: BatchTrace = { run: (work) => work(), end: () => {} };

/**
 * A `process <topic>` consumer span per record, child of the context its producer put in its
 * headers; a `handle <topic>` span around the handler call (its store writes), child of the first
 * record's span and linked to the others: a batch write belongs to one trace and is reachable from
 * all of them.
 */
export function traceBatch(groupId: string, records: readonly TracedRecord[]): BatchTrace {
  if (!tracingOn() || records.length === 0) return UNTRACED;
  const spans = records.map((record) => {
    const parent = propagation.extract(ROOT_CONTEXT, record.headers);
    const span = tracer.startSpan(
      `process ${record.topic}`,
      { kind: SpanKind.CONSUMER, attributes: recordAttributes(groupId, record) },
      parent,
    );
    return { record, span, context: trace.setSpan(parent, span) };
  });
  const contexts = new Map<string, Context>();
  for (const { record, context: recordContext } of spans)
    if (record.key !== null && !contexts.has(record.key)) contexts.set(record.key, recordContext);
  const links: Link[] = spans.slice(1).map(({ span }) => ({ context: span.spanContext() }));
  const first = spans[0]!;
  const batchSpan = tracer.startSpan(
    `handle ${first.record.topic}`,
    {
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.consumer.group.name': groupId,
        'messaging.batch.message_count': records.length,
      },
    },
    first.context,
  );
  const handlerContext = trace.setSpan(first.context, batchSpan).setValue(RECORD_CONTEXTS, contexts);
  return {
    run: async (work) => {
      try {
        return await context.with(handlerContext, work);
      } catch (error) {
        failSpan(batchSpan, error instanceof Error ? error.message : String(error));
        throw error;
      } finally {
        batchSpan.end();
      }
    },
    end: (failed) => {
      for (const { record, span } of spans) {
        const reason = failed.get(record.offset);
        if (reason !== undefined) failSpan(span, reason);
        span.end();
      }
    },
  };
}

function recordAttributes(groupId: string, record: TracedRecord) {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': record.topic,
    'messaging.destination.partition.id': String(record.partition),
    'messaging.kafka.offset': Number(record.offset),
    'messaging.consumer.group.name': groupId,
    ...(record.key !== null ? { 'messaging.kafka.message.key': record.key } : {}),
  };
}

function failSpan(span: Span, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/**
 * Exports the spans still buffered, before the process exits (a service's last batch would
 * otherwise be lost); bounded, and a no-op without a tracer provider.
 */
export async function flushTraces(timeoutMs = 2_000): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } };
  const flush = provider.getDelegate?.().forceFlush?.();
  if (!flush) return;
  await Promise.race([
    flush.catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
}
