import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loaderCommand, readDebianPrefix } from './debian-prefix.js';

describe('Debian prefix marker', () => {
  let home: string;
  let prefix: string;
  beforeEach(() => {
    home = mkdtempSync(resolve(tmpdir(), 'debian-prefix-'));
    prefix = resolve(home, 'prefix');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  function install(files: string[]): void {
    for (const file of files) {
      mkdirSync(resolve(prefix, file, '..'), { recursive: true });
      writeFileSync(resolve(prefix, file), '');
    }
    const marker = {
      version: '8.0.2',
      suite: 'trixie',
      packages: ['redis-tools_8.0.2_amd64.deb'],
      loader: 'redis-server',
      binary: 'usr/bin/redis-check-rdb',
      libraryPath: ['usr/lib/x86_64-linux-gnu'],
    };
    writeFileSync(resolve(home, 'installed.json'), JSON.stringify(marker));
  }

  it('reads paths relative to the prefix and runs the binary through its loader', () => {
    install(['redis-server', 'usr/bin/redis-check-rdb']);
    const installed = readDebianPrefix(home);
    expect(installed).toMatchObject({ prefix, version: '8.0.2', loader: resolve(prefix, 'redis-server') });
    const run = loaderCommand(installed!, 'redis-server');
    expect(run.command).toBe(resolve(prefix, 'redis-server'));
    expect(run.args).toEqual([
      '--library-path',
      resolve(prefix, 'usr/lib/x86_64-linux-gnu'),
      '--argv0',
      'redis-server',
      resolve(prefix, 'usr/bin/redis-check-rdb'),
    ]);
  });

  it('treats an install whose files are gone as absent', () => {
    install(['redis-server']);
    expect(readDebianPrefix(home)).toBeUndefined();
  });
});
