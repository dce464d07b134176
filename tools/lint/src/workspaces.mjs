// What both the lint rules and the graph need to know of the workspaces: where each one is, its
// package name and its layer.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
const LAYER_OF_TOP = { libs: 'lib', services: 'service', tools: 'tool' };
/** The tooling that product tests may use: real servers and in-process services for tests. */
const TEST_HARNESSES = new Set(['@genstream/testing', '@genstream/service-testing']);

/** `libs/kafka`, `services/generation` or `tools/stack` for a path inside a workspace. */
export function workspaceOf(absolutePath) {
  const [top, name] = relative(ROOT, absolutePath).split(/[\\/]/);
  return top in LAYER_OF_TOP && name !== undefined ? `${top}/${name}` : undefined;
}

export const isTestFile = (path) => /\.test\.ts$/.test(path) || path.split(/[\\/]/).includes('test');

/** Every workspace package by name: its folder, its layer, and whether it is a test harness. */
export function workspacePackages() {
  const packages = new Map();
  for (const [top, layer] of Object.entries(LAYER_OF_TOP)) {
    for (const folder of readdirSync(resolve(ROOT, top))) {
      const manifest = resolve(ROOT, top, folder, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
      packages.set(name, { workspace: `${top}/${folder}`, layer, harness: TEST_HARNESSES.has(name) });
    }
  }
  return packages;
}
