import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withInstallLock } from './install-lock.js';
import { progressFor } from './progress.js';

const quiet = progressFor('test', () => undefined);

describe('withInstallLock', () => {
  it('lets one install at a time into a folder, and releases the lock afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'genstream-lock-'));
    const events: string[] = [];
    const install = (name: string) =>
      withInstallLock(dir, quiet, async () => {
        events.push(`${name} in`);
        await sleep(200);
        events.push(`${name} out`);
      });
    await Promise.all([install('a'), install('b')]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(join(dir, '.install.lock'))).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'genstream-lock-'));
    writeFileSync(
      join(dir, '.install.lock'),
      JSON.stringify({ pid: 2 ** 22 + 1, startTicks: 1, command: 'x' }),
    );
    await expect(withInstallLock(dir, quiet, async () => 'done')).resolves.toBe('done');
  });
});
