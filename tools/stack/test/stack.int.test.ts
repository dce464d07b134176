import { appendFileSync, chmodSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig, stackDown, stackStatus, stackUp } from '@genstream/stack';

/**
 * The stack's own lifecycle, on a second private stack (own folder, ports shifted) so the servers
 * the other integration tests use are not disturbed. PostgreSQL only: its binaries are already
 * installed, so these tests start real servers without downloading anything.
 */
/** mkdtemp makes private folders; PostgreSQL runs as its own user and must reach its data folder. */
const reachableTempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
};

const env = {
  PATH: process.env.PATH,
  GENSTREAM_STACK_DIR: reachableTempDir('genstream-stack-test-'),
  GENSTREAM_STACK_PORT_OFFSET: '3000',
};
const config = loadStackConfig(env);
const postgresOf = async () => (await stackStatus(config)).find((server) => server.name === 'postgres')!;

describe('stack lifecycle on real servers', () => {
  afterAll(() => stackDown(config, ['postgres']));

  it('starts a server, finds it running the second time, and stops only what it started', async () => {
    const first = await stackUp(config, ['postgres']);
    expect(first.started).toEqual(['postgres']);
    const running = await postgresOf();
    expect(running.state).toBe('running');
    expect(running.address).toContain(':38432/');
    expect(running.version).toMatch(/^\d+\.\d+/);
    expect(running.residentBytes).toBeGreaterThan(0);

    const second = await stackUp(config, ['postgres']);
    expect(second.started).toEqual([]);
    expect((await postgresOf()).pids).toEqual(running.pids);

    await stackDown(config, ['postgres']);
    expect((await postgresOf()).state).toBe('stopped');
    expect(() => process.kill(running.pids![0]!, 0)).toThrow(); // the process is gone, not just forgotten
  });

  it('refuses to start on a port another program holds, and says so', async () => {
    const squatter = await listen(config.ports.postgres);
    try {
      await expect(stackUp(config, ['postgres'])).rejects.toThrow(
        /port 38432 .* taken by a process this stack did not start/,
      );
    } finally {
      squatter.close();
    }
  });

  it('starts nothing for a server the environment names, once it answers', async () => {
    await stackUp(config, ['postgres']);
    const external = loadStackConfig({
      ...env,
      GENSTREAM_STACK_PORT_OFFSET: '3100',
      DATABASE_URL: (await postgresOf()).address,
    });
    const result = await stackUp(external, ['postgres']);
    expect(result.started).toEqual([]);
    expect(result.servers[0]).toMatchObject({ state: 'external' });

    const dead = loadStackConfig({ ...env, DATABASE_URL: 'postgres://genstream@127.0.0.1:1/genstream' });
    await expect(stackUp(dead, ['postgres'])).rejects.toThrow(/DATABASE_URL=.* does not answer/);
  });
});

describe('a server that fails to start', () => {
  it("makes up fail with the last lines of that server's log", async () => {
    const broken = loadStackConfig({
      ...env,
      GENSTREAM_STACK_DIR: reachableTempDir('genstream-stack-broken-'),
    });
    await stackUp(broken, ['postgres']);
    await stackDown(broken, ['postgres']);
    appendFileSync(join(broken.dir, 'data', 'postgres', 'postgresql.conf'), 'shared_buffers = lots\n');

    const failure = stackUp(broken, ['postgres']);
    await expect(failure).rejects.toThrow(
      /postgres: exited while starting \(pid \d+\)\. Last lines of .*postgres\.log/,
    );
    await expect(failure).rejects.toThrow(/invalid value for parameter "shared_buffers": "lots"/);
  });
});

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
