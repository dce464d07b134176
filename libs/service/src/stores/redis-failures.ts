import { StoreUnavailableError } from '@genstream/errors';
import type { ChainableCommander } from 'ioredis';

// Every Redis failure, of the connection or of one command (OOM, LOADING, READONLY after a
// failover...), is a StoreUnavailableError: a consumer pauses and retries the batch, the HTTP API
// answers 503. The writes of genstream are idempotent overwrites, so running them again is safe.

/** One reply of a pipeline: its error, or null and its result. */
export type RedisReply = [error: Error | null, result: unknown];

/** The StoreUnavailableError of a failed Redis call; `purpose` says what it was for. */
export function redisFailure(error: unknown, purpose: string): StoreUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`Redis failed (${purpose}): ${message}`, { cause: error });
}

/** Runs one Redis call, turning any failure into a StoreUnavailableError. */
export async function redisCommand<T>(purpose: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw redisFailure(error, purpose);
  }
}

/**
 * Runs a pipeline and returns every reply, errors included, for a caller that tells one
 * command's refusal from an outage itself. Only a pipeline that did not run is thrown.
 */
export async function pipelineReplies(pipeline: ChainableCommander, purpose: string): Promise<RedisReply[]> {
  let replies: RedisReply[] | null;
  try {
    replies = await pipeline.exec();
  } catch (error) {
    throw redisFailure(error, purpose);
  }
  if (replies === null) throw new StoreUnavailableError(`Redis did not run the pipeline (${purpose})`);
  return replies;
}

/** Runs a pipeline and returns its results in order; the failure of any command is thrown. */
export async function execPipeline(pipeline: ChainableCommander, purpose: string): Promise<unknown[]> {
  const replies = await pipelineReplies(pipeline, purpose);
  const failed = replies.find(([error]) => error !== null);
  if (failed !== undefined) throw redisFailure(failed[0], purpose);
  return replies.map(([, result]) => result);
}
