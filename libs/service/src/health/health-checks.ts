import type { CheckResult, ReadinessChecks, ReadinessReport } from '@genstream/kafka';

export interface HealthCheck {
  /** Shown in the report, e.g. `postgres`. */
  readonly name: string;
  /** Resolves when the store answers (SELECT 1, ping, PING); rejects or hangs when it does not. */
  readonly check: () => Promise<void>;
}

/** A check that has not answered after this long fails: a hung store must not hang /health. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

/**
 * The readiness checks of a service's stores. Services register one per store client; GET
 * /health runs them all, in parallel, beside the Kafka runtime's health and answers 503 when any
 * fails. Provided by bootstrapService: inject it with `@Inject(HealthChecks)`.
 */
export class HealthChecks implements ReadinessChecks {
  private readonly checks: HealthCheck[] = [];
  private readonly timeoutMs: number;

  constructor(options: { readonly timeoutMs?: number } = {}) {
    this.timeoutMs = options.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  }

  register(check: HealthCheck): void {
    if (this.checks.some((existing) => existing.name === check.name))
      throw new Error(`a health check named ${check.name} is already registered`);
    this.checks.push(check);
  }

  async run(): Promise<ReadinessReport> {
    const checks = await Promise.all(this.checks.map((check) => this.runOne(check)));
    return { healthy: checks.every((check) => check.ok), checks };
  }

  private async runOne({ name, check }: HealthCheck): Promise<CheckResult> {
    const started = performance.now();
    const latencyMs = () => Math.round((performance.now() - started) * 10) / 10;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([check(), timeout]);
      return { name, ok: true, latencyMs: latencyMs() };
    } catch (error) {
      return {
        name,
        ok: false,
        latencyMs: latencyMs(),
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
