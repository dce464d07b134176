// The Dockerfile and docker-compose.yml cannot be run here (no Docker engine): what can drift
// between them and the code is checked instead. The image-contents integration test runs the rest.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildEntries } from '@genstream/build';
import { serviceNodeFlags } from '@genstream/launcher';
import { repoRoot } from '@genstream/stack';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(resolve(repoRoot(), path), 'utf8');
const dockerfile = read('deploy/docker/Dockerfile');
const compose = read('docker-compose.yml');
const bundles = new Set(buildEntries(repoRoot()).map((entry) => entry.output));

describe('deploy/docker/Dockerfile', () => {
  it('assembles the image with the command CI proves, and runs it as a non-root user with a health check', () => {
    expect(dockerfile).toMatch(/^RUN npm ci --no-audit --no-fund && npm run -s image:assemble -- \/app$/m);
    expect(dockerfile).toMatch(/^COPY --from=assemble \/app \/app$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "-e", ".*\/health/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node", /m);
  });

  it('gives node the flags the launcher gives it', () => {
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]';
    const flags = (JSON.parse(entrypoint) as string[]).slice(3);
    expect(flags).toEqual(['--enable-source-maps', ...serviceNodeFlags('/app')]);
    const preload = flags.at(-1)!.replace('--import=/app/', '');
    expect(bundles.has(preload)).toBe(true);
  });

  it('names only bundles the build makes', () => {
    const named = [...dockerfile.matchAll(/node (\S+\.js)/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((path) => !path.includes('<') && !bundles.has(path))).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  it('runs each of the five services from a bundle the build makes, on its own port', () => {
    const commands = [...compose.matchAll(/command: \['(services\/[a-z-]+\/dist\/main\.js)'\]/g)].map(
      (m) => m[1]!,
    );
    expect(commands.map((path) => path.split('/')[1])).toEqual([
      'generation',
      'metadata-writer',
      'document-writer',
      'cache-updater',
      'embedding-indexer',
    ]);
    expect(commands.filter((path) => !bundles.has(path))).toEqual([]);
    const init = /command: \['(.*)'\]/.exec(compose.slice(compose.indexOf('  init:')))?.[1] ?? '';
    const initBundles = [...init.matchAll(/node (\S+\.js)/g)].map((m) => m[1]!);
    expect(initBundles).toEqual([
      'libs/service/dist/cli/topics.js',
      'services/metadata-writer/dist/cli/migrate.js',
    ]);
    expect(initBundles.filter((path) => !bundles.has(path))).toEqual([]);
  });
});
