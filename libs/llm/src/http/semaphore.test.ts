import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('lets `limit` holders in and the others in arrival order', async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    const first = await semaphore.acquire();
    const second = await semaphore.acquire();
    const waiters = ['c', 'd', 'e'].map((name) =>
      semaphore.acquire().then((release) => {
        order.push(name);
        return release;
      }),
    );
    expect(semaphore.waiting).toBe(3);

    first();
    first(); // a second release of the same permit changes nothing
    const c = await waiters[0]!;
    second();
    c();
    await Promise.all(waiters.slice(1));
    expect(order).toEqual(['c', 'd', 'e']);
    expect(semaphore.active).toBe(2);
  });

  it('takes a waiter whose signal aborts out of the queue', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(semaphore.waiting).toBe(0);
    release();
    expect(semaphore.active).toBe(0);
  });

  it('gives the permit back however the task ends', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(async () => 'ok')).resolves.toBe('ok');
    expect(semaphore.active).toBe(0);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
