import { METRICS_REGISTRY } from '@genstream/kafka';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { AnswerSource, GenerationMetricsPort } from './ports.js';

/** The generation service's own Prometheus metrics, on the runtime's registry (served at /metrics). */
@Injectable()
export class GenerationMetrics implements GenerationMetricsPort {
  private readonly modelCalls: Counter<'model' | 'outcome'>;
  private readonly modelCallDuration: Histogram<'model' | 'outcome'>;
  private readonly cacheHits: Counter<'source'>;
  private readonly cacheMisses: Counter;
  private readonly singleFlightWaits: Counter<'scope'>;
  private readonly latency: Histogram<'cache_hit'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.modelCalls = reuse(
      registry,
      'genstream_generation_model_calls_total',
      (name) =>
        new Counter({
          name,
          help: 'Model calls, by requested model and outcome (ok, retriable, failed).',
          labelNames: ['model', 'outcome'],
          registers: [registry],
        }),
    );
    this.modelCallDuration = reuse(
      registry,
      'genstream_generation_model_call_duration_seconds',
      (name) =>
        new Histogram({
          name,
          help: "Duration of one model call (the concurrency limiter's wait excluded), by requested model and outcome.",
          labelNames: ['model', 'outcome'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
          registers: [registry],
        }),
    );
    this.cacheHits = reuse(
      registry,
      'genstream_generation_cache_hits_total',
      (name) =>
        new Counter({
          name,
          help: 'Cacheable requests answered without their own model call: from the response cache, a flight result, or a call of this process.',
          labelNames: ['source'],
          registers: [registry],
        }),
    );
    this.cacheMisses = reuse(
      registry,
      'genstream_generation_cache_misses_total',
      (name) =>
        new Counter({
          name,
          help: 'Cacheable requests answered by a model call of their own.',
          registers: [registry],
        }),
    );
    this.singleFlightWaits = reuse(
      registry,
      'genstream_generation_single_flight_waits_total',
      (name) =>
        new Counter({
          name,
          help: 'Requests that waited for an identical generation in flight, in this process or on another instance (cluster).',
          labelNames: ['scope'],
          registers: [registry],
        }),
    );
    this.latency = reuse(
      registry,
      'genstream_generation_latency_seconds',
      (name) =>
        new Histogram({
          name,
          help: 'From picking a request up to having its output, by cacheHit.',
          labelNames: ['cache_hit'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
          registers: [registry],
        }),
    );
  }

  modelCalled(model: string, outcome: 'ok' | 'retriable' | 'failed', seconds: number): void {
    this.modelCalls.inc({ model, outcome });
    this.modelCallDuration.observe({ model, outcome }, seconds);
  }

  cacheHit(source: Exclude<AnswerSource, 'model'>): void {
    this.cacheHits.inc({ source });
  }

  cacheMiss(): void {
    this.cacheMisses.inc();
  }

  singleFlightWait(scope: 'process' | 'cluster'): void {
    this.singleFlightWaits.inc({ scope });
  }

  generationLatency(seconds: number, cacheHit: string): void {
    this.latency.observe({ cache_hit: cacheHit }, seconds);
  }
}

/** Two services in one process (tests) may share a registry: register each metric once. */
function reuse<T>(registry: Registry, name: string, create: (name: string) => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create(name);
}
