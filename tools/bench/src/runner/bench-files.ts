import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** `.bench/` at the repository root (git-ignored): every bench's JSON result. */
export const BENCH_DIR = resolve(import.meta.dirname, '../../../../.bench');

/** `.bench/<name>`. */
export function benchFile(name: string): string {
  return resolve(BENCH_DIR, name);
}

/** `.bench/<name>-<timestamp>.json`, for the benches that keep every run. */
export function stampedBenchFile(name: string, startedAt: string): string {
  return benchFile(`${name}-${startedAt.replace(/[:.]/g, '-')}.json`);
}

/** Writes `data` as indented JSON to every file given. */
export function writeJson(files: readonly string[], data: unknown): void {
  const json = `${JSON.stringify(data, null, 2)}\n`;
  for (const file of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, json);
  }
}
