import { StoreUnavailableError } from '@genstream/errors';
import type { ChainableCommander } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { execPipeline, pipelineReplies, redisCommand } from './redis-failures.js';

/** A pipeline whose exec() answers `replies` (or rejects with them when they are an Error). */
const pipelineOf = (replies: [Error | null, unknown][] | null | Error) =>
  ({
    exec: () => (replies instanceof Error ? Promise.reject(replies) : Promise.resolve(replies)),
  }) as unknown as ChainableCommander;

describe('Redis failures', () => {
  it('turns a failed command into a StoreUnavailableError naming its purpose, with the cause', async () => {
    const cause = new Error('OOM command not allowed');
    const failure = redisCommand('read status', () => Promise.reject(cause));
    await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failure).rejects.toMatchObject({
      message: 'Redis failed (read status): OOM command not allowed',
      cause,
    });
    expect(await redisCommand('read status', () => Promise.resolve('OK'))).toBe('OK');
  });

  it('returns a pipeline’s results, and throws when any command or the pipeline failed', async () => {
    expect(
      await execPipeline(
        pipelineOf([
          [null, 'OK'],
          [null, 1],
        ]),
        'write',
      ),
    ).toEqual(['OK', 1]);
    await expect(
      execPipeline(
        pipelineOf([
          [null, 'OK'],
          [new Error('LOADING'), null],
        ]),
        'write',
      ),
    ).rejects.toThrow('Redis failed (write): LOADING');
    await expect(execPipeline(pipelineOf(null), 'write')).rejects.toThrow(
      'Redis did not run the pipeline (write)',
    );
    await expect(execPipeline(pipelineOf(new Error('ECONNREFUSED')), 'write')).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('hands every reply over, errors included, when the caller judges them itself', async () => {
    const refused = new Error('dimension mismatch');
    expect(
      await pipelineReplies(
        pipelineOf([
          [refused, null],
          [null, 1],
        ]),
        'add',
      ),
    ).toEqual([
      [refused, null],
      [null, 1],
    ]);
  });
});
