import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, type ServiceProcess } from './supervisor.js';

export interface HealthAnswer {
  /** HTTP status, or null when nothing answered. */
  readonly status: number | null;
  /** Response body (shortened), or why nothing answered. */
  readonly detail: string;
}

/** One GET of `<url>/health`, bounded by `timeoutMs`. */
export async function checkHealth(url: string, timeoutMs = 2_000): Promise<HealthAnswer> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return { status: response.status, detail: shorten(body) };
  } catch (error) {
    return { status: null, detail: reasonOf(error) };
  }
}

/** A service that did not become healthy: which one, why, and what it printed last. */
export class ServiceNotHealthyError extends Error {
  constructor(
    readonly service: string,
    readonly reason: string,
    readonly lastLines: readonly string[],
  ) {
    super(
      `${service} ${reason}. Its last lines:\n${lastLines.map((line) => `  | ${line}`).join('\n') || '  (it printed nothing)'}`,
    );
    this.name = 'ServiceNotHealthyError';
  }
}

export interface WaitOptions {
  /** Default 90 s: cold starts of tsx + Nest on a busy 2-core machine take a while. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Called every ~10 s a service is still not healthy. */
  readonly onWaiting?: (service: ServiceProcess, last: HealthAnswer, waitedMs: number) => void;
}

/** Resolves with the time it took once GET /health answers 200; rejects if it exits or times out. */
export async function waitUntilHealthy(service: ServiceProcess, options: WaitOptions = {}): Promise<number> {
  const { timeoutMs = 90_000, intervalMs = 250 } = options;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let nextNotice = started + 10_000;
  let last: HealthAnswer = { status: null, detail: 'not asked yet' };
  while (Date.now() < deadline) {
    if (service.exit) {
      throw new ServiceNotHealthyError(
        service.label,
        `exited while starting (${describeExit(service.exit)})`,
        service.lastLines(),
      );
    }
    last = await checkHealth(service.spec.url);
    if (last.status === 200) return Date.now() - started;
    if (Date.now() >= nextNotice) {
      options.onWaiting?.(service, last, Date.now() - started);
      nextNotice = Date.now() + 10_000;
    }
    // Returns early when the process exits, so a crash is reported at once.
    await Promise.race([sleep(intervalMs), service.exited]);
  }
  const answer =
    last.status === null
      ? `nothing answered on ${service.spec.url} (${last.detail})`
      : `GET /health answered ${last.status}: ${last.detail}`;
  const listening = service.listeningSince ? 'it printed its "listening" line, but ' : '';
  throw new ServiceNotHealthyError(
    service.label,
    `was not healthy within ${Math.round(timeoutMs / 1000)} s: ${listening}${answer}`,
    service.lastLines(),
  );
}

/** Waits for every service; a failure names each service that did not come up, with its last lines. */
export async function waitAllHealthy(
  services: readonly ServiceProcess[],
  options: WaitOptions = {},
): Promise<Map<string, number>> {
  const outcomes = await Promise.allSettled(services.map((service) => waitUntilHealthy(service, options)));
  const failures = outcomes.flatMap((outcome): unknown[] =>
    outcome.status === 'rejected' ? [outcome.reason] : [],
  );
  if (failures.length > 0) {
    const names = failures.map((f) => (f instanceof ServiceNotHealthyError ? f.service : '?'));
    throw new Error(
      `${names.join(', ')} did not come up:\n\n${failures.map((f) => reasonOf(f)).join('\n\n')}`,
    );
  }
  return new Map(
    services.map((service, i) => [service.label, (outcomes[i] as PromiseFulfilledResult<number>).value]),
  );
}

function shorten(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
