import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, readPidRecord, residentBytesOfTree, spawnDetached, stopProcess } from './processes.js';

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

    expect(await stopProcess(record, 'SIGTERM', 5_000)).toBe('stopped');
    expect(isAlive(record)).toBe(false);
    expect(readFileSync(join(dir, 'log'), 'utf8')).toContain('started');
  });

  it('kills a process that ignores the stop signal once the grace period ends', async () => {
    const dir = scratch();
    const record = spawnDetached('sh', ['-c', "trap '' TERM; while :; do sleep 0.1; done"], {
      logFile: join(dir, 'log'),
      pidFile: join(dir, 'pid.json'),
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the shell install its trap
    expect(await stopProcess(record, 'SIGTERM', 500)).toBe('killed');
    expect(isAlive(record)).toBe(false);
  });

  it('does not mistake a reused pid for the recorded process', () => {
    expect(isAlive({ pid: process.pid, startTicks: 1, command: 'not us' })).toBe(false);
    expect(isAlive({ pid: 2 ** 22 + 1, startTicks: 0, command: 'gone' })).toBe(false);
  });
});
