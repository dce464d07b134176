import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackConfig, paths } from './config.js';
import { selectServers, stackEnv } from './stack.js';

const names = (servers: readonly { name: string }[]) => servers.map((server) => server.name);

describe('which servers a command acts on', () => {
  const config = () =>
    loadStackConfig({ GENSTREAM_STACK_DIR: mkdtempSync(join(tmpdir(), 'genstream-select-')) });

  it('is the four core servers by default, and exactly the named ones otherwise', () => {
    const stack = config();
    expect(names(selectServers(stack))).toEqual(['kafka', 'postgres', 'mongo', 'redis']);
    expect(names(selectServers(stack, ['registry']))).toEqual(['registry']);
    expect(names(selectServers(stack, ['redis', 'kafka']))).toEqual(['kafka', 'redis']);
    expect(Object.keys(stackEnv(stack))).toEqual(['KAFKA_BROKERS', 'DATABASE_URL', 'MONGO_URL', 'REDIS_URL']);
  });

  it('includes the registry by default once this stack has started it', () => {
    const stack = config();
    const { pidFile } = paths(stack, 'registry');
    mkdirSync(dirname(pidFile), { recursive: true });
    writeFileSync(pidFile, JSON.stringify({ pid: 1, startTicks: 1, command: 'java' }));
    expect(names(selectServers(stack))).toEqual(['kafka', 'postgres', 'mongo', 'redis', 'registry']);
    expect(stackEnv(stack).SCHEMA_REGISTRY_URL).toBe('http://127.0.0.1:38081/apis/ccompat/v7');
  });

  it('includes the registry by default when the environment names one', () => {
    const stack = loadStackConfig({
      GENSTREAM_STACK_DIR: mkdtempSync(join(tmpdir(), 'genstream-select-')),
      SCHEMA_REGISTRY_URL: 'http://registry.example:8081',
    });
    expect(names(selectServers(stack)).at(-1)).toBe('registry');
    expect(stackEnv(stack).SCHEMA_REGISTRY_URL).toBe('http://registry.example:8081');
  });
});
