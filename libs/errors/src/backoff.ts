import type { BackoffOptions } from './options.js';

/**
 * Delay before retry number `attempt` (0 for the first): "full jitter", uniform over
 * [0, min(maxMs, baseMs * 2^attempt)]. Jitter spreads the instances of a group that all saw the
 * same store go down, so they do not hammer it in lockstep when it comes back.
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
