import { StoreUnavailableError } from '@genstream/errors';
import type { ChainableCommander } from 'ioredis';

/**
 * Runs a pipeline and returns its replies in order. Any failure, of the connection or of one
 * command (OOM, LOADING, READONLY after a failover...), is a StoreUnavailableError: every write
 * here is an idempotent overwrite, so running the whole pipeline again is safe.
 */
export async function execPipeline(pipeline: ChainableCommander, purpose: string): Promise<unknown[]> {
  let replies: [error: Error | null, result: unknown][] | null;
  try {
    replies = await pipeline.exec();
  } catch (error) {
    throw storeUnavailable(error, purpose);
  }
  if (replies === null) throw new StoreUnavailableError(`Redis did not run the pipeline (${purpose})`);
  const failed = replies.find(([error]) => error !== null);
  if (failed !== undefined) throw storeUnavailable(failed[0], purpose);
  return replies.map(([, result]) => result);
}

/** Runs one command, turning any failure into a StoreUnavailableError. */
export async function command<T>(run: () => Promise<T>, purpose: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw storeUnavailable(error, purpose);
  }
}

function storeUnavailable(error: unknown, purpose: string): StoreUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`Redis failed (${purpose}): ${message}`, { cause: error });
}
