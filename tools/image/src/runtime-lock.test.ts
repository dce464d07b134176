import { describe, expect, it } from 'vitest';
import { resolveInstalled, runtimeDependencies, runtimeLock, type Lockfile } from './runtime-lock.js';

const lock: Lockfile = {
  name: 'genstream',
  lockfileVersion: 3,
  packages: {
    '': { name: 'genstream', devDependencies: { vitest: '^4' } },
    'services/a': { name: '@genstream/a', dependencies: { '@genstream/lib': '^0.1.0', kafkajs: '^2' } },
    'libs/lib': { name: '@genstream/lib', dependencies: { pg: '^8' } },
    'tools/t': { name: '@genstream/t', dependencies: { tsx: '^4' } },
    'node_modules/@genstream/lib': { resolved: 'libs/lib', link: true },
    'node_modules/kafkajs': { version: '2.2.4', integrity: 'sha512-k' },
    'node_modules/pg': {
      version: '8.23.1',
      dependencies: { 'pg-types': '^2', 'pg-pool': '^3' },
      optionalDependencies: { 'pg-native': '^3' },
    },
    'node_modules/pg/node_modules/pg-types': { version: '2.2.0' },
    'node_modules/pg-types': { version: '4.0.0', dev: true },
    'node_modules/pg-pool': { version: '3.10.1', peerDependencies: { pg: '>=8' } },
    'node_modules/tsx': { version: '4.23.15', dev: true },
    'node_modules/vitest': { version: '4.0.0', dev: true },
  },
};

describe('the image lock', () => {
  it("takes the npm packages of the workspaces and of the genstream libraries they use, not tooling's", () => {
    expect(runtimeDependencies(lock, ['services/a'])).toEqual({ kafkajs: '^2', pg: '^8' });
  });

  it('finds a package as Node does: in its own node_modules first, then further up', () => {
    expect(resolveInstalled(lock, 'node_modules/pg', 'pg-types')).toBe(
      'node_modules/pg/node_modules/pg-types',
    );
    expect(resolveInstalled(lock, 'node_modules/pg-pool', 'pg-types')).toBe('node_modules/pg-types');
    expect(resolveInstalled(lock, 'node_modules/pg', 'nothing')).toBeUndefined();
  });

  it('keeps exactly what those need, at the same paths and versions, without dev flags', () => {
    const image = runtimeLock(lock, 'genstream-image', { kafkajs: '^2', pg: '^8' });
    expect(Object.keys(image.packages)).toEqual([
      '',
      'node_modules/kafkajs',
      'node_modules/pg',
      'node_modules/pg-pool',
      'node_modules/pg/node_modules/pg-types',
    ]);
    expect(image.packages['']).toEqual({
      name: 'genstream-image',
      version: '0.0.0',
      dependencies: { kafkajs: '^2', pg: '^8' },
    });
    expect(image.packages['node_modules/kafkajs']).toEqual({ version: '2.2.4', integrity: 'sha512-k' });
    expect(Object.values(image.packages).some((entry) => 'dev' in entry)).toBe(false);
  });

  it('says which package is missing rather than installing something else', () => {
    expect(() => runtimeLock(lock, 'x', { left: '^1' })).toThrow(
      /left \(needed by the image\) is not in package-lock.json/,
    );
  });
});
