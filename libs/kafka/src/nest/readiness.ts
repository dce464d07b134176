/**
 * More readiness checks for GET /health, beside the runtime's own: a service's stores. Provide an
 * implementation under READINESS_CHECKS (e.g. @genstream/service's HealthChecks) and /health
 * answers 503 when any of them fails.
 */
export interface ReadinessChecks {
  run(): Promise<ReadinessReport>;
}

export interface ReadinessReport {
  readonly healthy: boolean;
  readonly checks: readonly CheckResult[];
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  /** Why the check failed; absent when it passed. */
  readonly error?: string;
}
