import { DependencyTimeoutError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { SendQueue, type OutboundRecord } from './send-queue.js';

const record = (value: string, topic = 't'): OutboundRecord => ({ topic, message: { value } });
const values = (batch: readonly OutboundRecord[]) => batch.map((r) => r.message.value);

function recordingSender(delayMs = 0) {
  const requests: (string | Buffer | null)[][] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const send = async (batch: readonly OutboundRecord[]) => {
    concurrent += 1;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    requests.push(values(batch));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    concurrent -= 1;
  };
  return { send, requests, maxConcurrent: () => maxConcurrent };
}

const settings = { lingerMs: 5, maxBatchRecords: 100, acknowledgeTimeoutMs: 1_000 };

describe('SendQueue', () => {
  it('coalesces concurrent callers within the linger window into one request', async () => {
    const sender = recordingSender();
    const queue = new SendQueue(sender.send, settings);
    await Promise.all(Array.from({ length: 20 }, (_, i) => queue.enqueue([record(`r${i}`)])));
    expect(sender.requests).toHaveLength(1);
    expect(sender.requests[0]).toHaveLength(20);
  });

  it('sends a full batch without waiting, and never more than one request at a time', async () => {
    const sender = recordingSender(5);
    const queue = new SendQueue(sender.send, { ...settings, lingerMs: 10_000, maxBatchRecords: 10 });
    const many = Array.from({ length: 35 }, (_, i) => record(`r${i}`));
    const started = Date.now();
    await queue.enqueue(many);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sender.requests.map((r) => r.length)).toEqual([10, 10, 10, 5]);
    expect(sender.requests.flat()).toEqual(many.map((r) => r.message.value));
    expect(sender.maxConcurrent()).toBe(1);
  });

  it('sends what arrived during a request right after it, in order', async () => {
    const sender = recordingSender(20);
    const queue = new SendQueue(sender.send, settings);
    const first = queue.enqueue([record('a')]);
    await new Promise((resolve) => setTimeout(resolve, 10)); // 'a' is in flight now
    const later = [queue.enqueue([record('b')]), queue.enqueue([record('c')])];
    await Promise.all([first, ...later]);
    expect(sender.requests).toEqual([['a'], ['b', 'c']]);
  });

  it('rejects exactly the callers of a failed request', async () => {
    let calls = 0;
    const queue = new SendQueue(async () => {
      calls += 1;
      if (calls === 1) throw new Error('broker said no');
    }, settings);
    const failed = queue.enqueue([record('x')]);
    await expect(failed).rejects.toThrow('broker said no');
    await expect(queue.enqueue([record('y')])).resolves.toBeUndefined();
  });

  it('times out a caller with a retriable error and then does not send its queued records', async () => {
    const sender = recordingSender(150);
    const queue = new SendQueue(sender.send, { ...settings, acknowledgeTimeoutMs: 50 });
    const slow = queue.enqueue([record('in-flight')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const abandoned = queue.enqueue([record('queued')]);
    await expect(slow).rejects.toBeInstanceOf(DependencyTimeoutError);
    await expect(abandoned).rejects.toMatchObject({ code: 'DEPENDENCY_TIMEOUT', retriable: true });
    await queue.drain();
    expect(sender.requests).toEqual([['in-flight']]);
  });

  it('drains everything queued', async () => {
    const sender = recordingSender(1);
    const queue = new SendQueue(sender.send, { ...settings, lingerMs: 60_000 });
    const pending = queue.enqueue([record('a'), record('b')]);
    await queue.drain();
    await pending;
    expect(sender.requests).toEqual([['a', 'b']]);
  });
});
