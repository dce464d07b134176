/** Exponential backoff with full jitter: a delay drawn from [0, min(maxMs, baseMs * 2^attempt)]. */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  readonly baseMs: number;
  /** No delay grows beyond this. */
  readonly maxMs: number;
}

/**
 * Delay before retry number `attempt` (0 for the first): "full jitter", uniform over
 * [0, min(maxMs, baseMs * 2^attempt)]. Jitter spreads the clients that all saw the same store or
 * provider fail, so they do not come back in lockstep and overload it again.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeiling(attempt, options));
}

/** The upper bound of the delay for `attempt`; doubling stops at maxMs (and never overflows). */
export function backoffCeiling(attempt: number, { baseMs, maxMs }: BackoffOptions): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
