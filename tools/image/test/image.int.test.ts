// What the container image holds, assembled exactly as its Dockerfile does (npm run image:assemble)
// in a clean folder outside the repository, then used as the image would be: a service started
// from it with plain node answers /health with 200 on real servers, and the Job's commands
// (migrations, topics) run from it. No Docker engine needed.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts, serviceNodeFlags } from '@genstream/launcher';
import { testTopics } from '@genstream/service-testing';
import { eventually, serverEnv, testPostgres } from '@genstream/testing';
import { repoRoot } from '@genstream/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleImage, type AssembledImage } from '../src/index.js';

const run = promisify(execFile);

describe('the image contents, assembled outside the repository', () => {
  let image: AssembledImage;
  /** As the Dockerfile's entrypoint, with the image's folder for /app. */
  let NODE_FLAGS: string[];
  beforeAll(async () => {
    image = await assembleImage(repoRoot(), join(mkdtempSync(join(tmpdir(), 'genstream-image-')), 'app'));
    NODE_FLAGS = ['--enable-source-maps', ...serviceNodeFlags(image.dir)];
  }, 180_000);

  it('holds the bundles and production packages only: no TypeScript, no tooling, no devDependency', () => {
    expect(image.dir.startsWith(repoRoot())).toBe(false);
    expect(image.bundles).toContain('services/generation/dist/main.js');
    expect(existsSync(join(image.dir, 'services/metadata-writer/migrations'))).toBe(true);
    const root = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const forbidden = [...Object.keys(root.devDependencies), 'tsx', 'esbuild', 'vitest', 'testcontainers'];
    const present = forbidden.filter((name) => existsSync(join(image.dir, 'node_modules', name)));
    expect(present).toEqual([]);
    expect(existsSync(join(image.dir, 'node_modules', '@genstream'))).toBe(false); // bundled instead
    const sources = (readdirSync(image.dir, { recursive: true }) as string[]).filter(
      (path) => !path.startsWith('node_modules') && /\.ts$/.test(path),
    );
    expect(sources).toEqual([]);
    expect(Object.keys(image.dependencies)).toEqual(
      expect.arrayContaining(['kafkajs', 'pg', '@nestjs/core']),
    );
  });

  it("runs the Job's migrations, then a service that answers /health and /openapi.json, and stops on SIGTERM", async () => {
    await using postgres = await testPostgres('image');
    await using topics = await testTopics('image');
    const env = {
      ...process.env,
      ...serverEnv(),
      ...topics.env,
      DATABASE_URL: postgres.url,
      LOG_LEVEL: 'warn',
    };
    const migrate = await run('node', [...NODE_FLAGS, 'services/metadata-writer/dist/cli/migrate.js'], {
      cwd: image.dir,
      env,
    });
    expect(migrate.stdout).toMatch(/^migrate: applied \d+: 001_/m);

    const [port] = await freePorts(1);
    const service = spawn('node', [...NODE_FLAGS, 'services/metadata-writer/dist/main.js'], {
      cwd: image.dir,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    service.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    try {
      const healthy = async () =>
        (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200;
      await eventually(healthy, 'metadata-writer from the image answering /health with 200', 90_000).catch(
        (error: Error) => {
          throw new Error(`${error.message}; its output:\n${output}`);
        },
      );
      // Served by @nestjs/swagger, whose web UI assets the image leaves out.
      const openapi = await fetch(`http://127.0.0.1:${port}/openapi.json`);
      expect(openapi.status).toBe(200);
      expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\.1\./);
      expect(existsSync(join(image.dir, 'node_modules/swagger-ui-dist/swagger-ui-bundle.js'))).toBe(false);
    } finally {
      service.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
