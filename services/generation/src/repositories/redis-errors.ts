import { StoreUnavailableError } from '@genstream/errors';

/** Runs one Redis call; any failure (connection, OOM, LOADING, READONLY...) is a StoreUnavailableError. */
export async function redisCall<T>(purpose: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`Redis failed (${purpose}): ${message}`, { cause: error });
  }
}
