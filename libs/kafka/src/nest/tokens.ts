/**
 * Injection tokens. Inject with `@Inject(TOKEN)` everywhere: vitest and tsx compile with esbuild,
 * which emits no decorator metadata, so Nest cannot infer constructor parameter types.
 */
export const KAFKA_RUNTIME_OPTIONS = Symbol('genstream.kafka.runtime-options');
/** The KafkaRuntime of the application. */
export const KAFKA_RUNTIME = Symbol('genstream.kafka.runtime');
/** The runtime's EventPublisher. */
export const EVENT_PUBLISHER = Symbol('genstream.kafka.event-publisher');
/** The prom-client Registry that /metrics serves; services may add their own metrics to it. */
export const METRICS_REGISTRY = Symbol('genstream.metrics.registry');
/** Optional ReadinessChecks (a service's stores) that GET /health runs beside the runtime's health. */
export const READINESS_CHECKS = Symbol('genstream.health.readiness-checks');
