import type { Counter, Histogram, Registry } from 'prom-client';
import { counterOn, histogramOn } from '../registered-metric.js';

/** What the middleware reads of an Express request (the matched route is set by the router). */
export interface MeteredRequest {
  readonly method?: string;
  readonly route?: { readonly path?: unknown };
}

/** What it needs of the response: its status once finished. */
export interface MeteredResponse {
  readonly statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The HTTP side of /metrics: every request counted by method, matched route and status, and its
 * duration observed. Labels are bounded: the route is the route's pattern (`/v1/generations/:id`),
 * or `unmatched` for a path no route serves (404s, bodies refused before routing); an unusual
 * method is `OTHER`. A connection closed before the response finished counts with status `0`.
 */
export class HttpMetrics {
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;

  constructor(registry: Registry) {
    this.requests = counterOn(registry, {
      name: 'genstream_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern (unmatched: no route) and status code.',
      labelNames: ['method', 'route', 'status'],
    });
    this.duration = histogramOn(registry, {
      name: 'genstream_http_request_duration_seconds',
      help: 'From receiving an HTTP request to finishing its response, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  /** An Express middleware (`app.use(metrics.middleware())`), installed before the routes. */
  middleware(): (request: MeteredRequest, response: MeteredResponse, next: () => void) => void {
    return (request, response, next) => {
      const started = process.hrtime.bigint();
      let done = false;
      const record = (finished: boolean) => {
        if (done) return;
        done = true;
        const method = METHODS.has(request.method ?? '') ? request.method! : 'OTHER';
        const path = request.route?.path;
        const route = typeof path === 'string' ? path : 'unmatched';
        const status = finished ? String(response.statusCode) : '0';
        this.requests.inc({ method, route, status });
        this.duration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
      };
      response.once('finish', () => record(true));
      response.once('close', () => record(false));
      next();
    };
  }
}
