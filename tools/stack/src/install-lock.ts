import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, ownPidRecord, readPidRecord } from './processes.js';
import type { Progress } from './progress.js';

/** A lock file younger than this whose content cannot be read yet is being written, not abandoned. */
const UNREADABLE_GRACE_MS = 10_000;

/**
 * Runs `work` while holding `<dir>/.install.lock`, so two `up`s at once (two terminals, parallel test
 * runs) never install into the same folder together: the second waits, then usually finds the work
 * done (`work` should check that first). A lock whose process has died is taken over.
 */
export async function withInstallLock<T>(
  dir: string,
  progress: Progress,
  work: () => Promise<T>,
): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lockFile = resolve(dir, '.install.lock');
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lockFile, JSON.stringify(ownPidRecord('stack install')), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPidRecord(lockFile);
    const abandoned = holder ? !isAlive(holder) : Date.now() - mtimeMs(lockFile) > UNREADABLE_GRACE_MS;
    if (abandoned) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (!announced) {
      progress(
        `waiting for pid ${holder?.pid ?? '?'} (another stack:up or test run), which is installing it`,
      );
      announced = true;
    }
    await sleep(1_000);
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function mtimeMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0; // gone meanwhile: the next attempt takes it
  }
}
