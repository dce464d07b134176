import type * as SdkTrace from '@opentelemetry/sdk-trace';
import type { SamplerSetting, TracingSettings } from './settings.js';

type EnabledSettings = Extract<TracingSettings, { enabled: true }>;

/** Requests that only probe or scrape a service: never traced (they would drown the traces). */
const UNTRACED_PATHS = new Set(['/health', '/health/live', '/metrics', '/openapi.json']);

/**
 * Installs OpenTelemetry for this process: the AsyncLocalStorage context, W3C trace context and
 * baggage propagation, a tracer provider exporting in batches over OTLP/HTTP (protobuf; endpoint,
 * headers, timeout and TLS from the standard OTEL_EXPORTER_OTLP_* variables), and the maintained
 * instrumentations of http, pg, mongodb and ioredis. Kafka is traced by @genstream/kafka
 * itself (see its tracing.ts). The SDK is imported here, only when tracing is on: off, none of it
 * is loaded.
 */
export async function startTracing(settings: EnabledSettings): Promise<{ shutdown(): Promise<void> }> {
  const [
    api,
    { TracerProvider, BatchSpanProcessor, ...samplers },
    core,
    { AsyncLocalStorageContextManager },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/core'),
    import('@opentelemetry/context-async-hooks'),
  ]);
  const [{ OTLPTraceExporter }, resources, { registerInstrumentations }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-proto'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'),
  ]);
  const instrumentations = await loadInstrumentations();

  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(
    new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  );
  const resource = resources
    .defaultResource()
    .merge(resources.detectResources({ detectors: [resources.envDetector, resources.processDetector] }))
    .merge(resources.resourceFromAttributes({ 'service.name': settings.serviceName }));
  const provider = new TracerProvider({
    resource,
    sampler: samplerOf(settings.sampler, samplers),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  api.trace.setGlobalTracerProvider(provider);
  registerInstrumentations({ tracerProvider: provider, instrumentations });
  return { shutdown: () => provider.shutdown() };
}

async function loadInstrumentations() {
  // No Nest instrumentation: the maintained one supports @nestjs/core below 12, and genstream runs 12.
  const [{ HttpInstrumentation }, { PgInstrumentation }, mongodb, ioredis] = await Promise.all([
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-mongodb'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]!),
      // Express puts the matched route on the request: the span is named by it, not by the URL
      // (which holds ids and users' search text).
      applyCustomAttributesOnSpan: (span, request) => {
        const path = (request as { route?: { path?: unknown } }).route?.path;
        if (typeof path !== 'string') return;
        span.setAttribute('http.route', path);
        span.updateName(`${(request as { method?: string }).method ?? 'HTTP'} ${path}`);
      },
    }),
    // Statements only, never their values (pg and mongodb leave parameters out by default).
    new PgInstrumentation(),
    new mongodb.MongoDBInstrumentation(),
    // The command name alone: its arguments hold cached answers and users' text.
    new ioredis.IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
  ];
}

type Samplers = Pick<
  typeof SdkTrace,
  'AlwaysOnSampler' | 'AlwaysOffSampler' | 'ParentBasedSampler' | 'TraceIdRatioBasedSampler'
>;

function samplerOf(setting: SamplerSetting, s: Samplers) {
  switch (setting.kind) {
    case 'always_on':
      return new s.AlwaysOnSampler();
    case 'always_off':
      return new s.AlwaysOffSampler();
    case 'traceidratio':
      return new s.TraceIdRatioBasedSampler(setting.ratio);
    case 'parentbased_always_on':
      return new s.ParentBasedSampler({ root: new s.AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new s.ParentBasedSampler({ root: new s.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new s.ParentBasedSampler({ root: new s.TraceIdRatioBasedSampler(setting.ratio) });
  }
}
