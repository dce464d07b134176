/** How often `eventually` asks again: quick enough that a test waits little past the moment. */
const POLL_MS = 50;

/**
 * Polls `check` until it returns true; after `timeoutMs` fails naming `what` it was waiting for.
 * For conditions that settle asynchronously: commits, records consumed, metrics updated.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what = 'condition',
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
