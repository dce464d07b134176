import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, readPidRecord, residentBytesOfTree, spawnDetached, stopProcess } from './processes.js';

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const scratch = () => mkdtempSync(join(tmpdir(), 'genstream-processes-'));

describe('detached server processes', () => {
  it('records a started process, sees it alive, stops it with the given signal', async () => {
    const dir = scratch();
    const record = spawnDetached('sh', ['-c', 'echo started; exec sleep 30'], {
      logFile: join(dir, 'log'),
      pidFile: join(dir, 'pid.json'),
    });
    expect(readPidRecord(join(dir, 'pid.json'))).toEqual(record);
    expect(isAlive(record)).toBe(true);
    expect(residentBytesOfTree(record.pid)).toBeGreaterThan(0);
    // Its output reaches the log (wait for it: a signal sent sooner could beat the echo).
    await until(() => readFileSync(join(dir, 'log'), 'utf8').includes('started'));

    expect(await stopProcess(record, 'SIGTERM', 5_000)).toBe('stopped');
    expect(isAlive(record)).toBe(false);
  });

  it('kills a process that ignores the stop signal once the grace period ends', async () => {
    const dir = scratch();
    const record = spawnDetached('sh', ['-c', "trap '' TERM; echo trapped; while :; do sleep 0.1; done"], {
      logFile: join(dir, 'log'),
      pidFile: join(dir, 'pid.json'),
    });
    await until(() => readFileSync(join(dir, 'log'), 'utf8').includes('trapped')); // the shell ignores TERM now
    expect(await stopProcess(record, 'SIGTERM', 500)).toBe('killed');
    expect(isAlive(record)).toBe(false);
  });

  it('does not mistake a reused pid for the recorded process', () => {
    expect(isAlive({ pid: process.pid, startTicks: 1, command: 'not us' })).toBe(false);
    expect(isAlive({ pid: 2 ** 22 + 1, startTicks: 0, command: 'gone' })).toBe(false);
  });
});
