import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { testTopics } from '@genstream/service-testing';
import { serverEnv, testRedis } from '@genstream/testing';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** main.ts as the launcher runs it: node with the tsx loader, configuration from the environment. */
function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout.push(line);
      resolve(line);
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout, firstLine, exited, stderr: () => stderr };
}

describe('cache-updater main.ts (a real process)', () => {
  it('prints one start line, answers /health, and exits 0 on SIGTERM', async () => {
    await using redis = await testRedis('cu_process');
    await using kafka = await testTopics('cu_process');
    const service = runMain({
      ...kafka.env,
      REDIS_URL: serverEnv().REDIS_URL,
      REDIS_KEY_PREFIX: redis.prefix,
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    try {
      const line = await Promise.race([
        service.firstLine,
        service.exited.then((code) => {
          throw new Error(`exited ${code} before listening:\n${service.stderr()}`);
        }),
      ]);
      const match =
        /^cache-updater listening on http:\/\/127\.0\.0\.1:(\d+) \(health \/health, metrics \/metrics\)$/.exec(
          line,
        );
      expect(match, line).not.toBeNull();
      const health = await fetch(`http://127.0.0.1:${match![1]}/health`);
      expect(health.status).toBe(200);

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.stdout).toEqual([line]);
      const logs = service
        .stderr()
        .trim()
        .split('\n')
        // Node's own warnings (e.g. TimeoutNegativeWarning from kafkajs) are plain text, not ours.
        .filter((entry) => entry.startsWith('{'))
        .map((entry) => JSON.parse(entry) as Record<string, unknown>);
      expect(logs.every((entry) => entry.service === 'cache-updater')).toBe(true);
      expect(logs.map((entry) => entry.message)).toEqual(
        expect.arrayContaining(['shutting down', 'Kafka runtime stopped']),
      );
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('exits 1 listing every bad variable', async () => {
    const service = runMain({
      KAFKA_BROKERS: 'nope',
      REDIS_URL: 'http://x',
      CACHE_TTL_SECONDS: '0',
      PORT: '0',
    });
    expect(await service.exited).toBe(1);
    expect(JSON.parse(service.stderr().trim())).toMatchObject({
      level: 'error',
      message: 'cannot start',
      service: 'cache-updater',
      code: 'CONFIG_INVALID',
      details: {
        problems: [
          'KAFKA_BROKERS="nope": expected host:port pairs, got "nope"',
          'REDIS_URL (value hidden): expected a redis: or rediss: URL',
          'CACHE_TTL_SECONDS="0": expected an integer from 1 to 2592000',
        ],
      },
    });
  });
});
