// Vitest global setup of the fault suite: its own stack (started here, stopped at the end), and
// the figures table of every case once all have run.
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { repoRoot } from '@genstream/stack';
import type { TestProject } from 'vitest/node';
import { FaultStack, faultStackSettings, withKafkaCluster, type FaultStackSettings } from './fault-stack.js';
import { FiguresFile, formatFigures, formatFiguresMarkdown } from './figures.js';

declare module 'vitest' {
  export interface ProvidedContext {
    faultStack: FaultStackSettings;
    figuresPath: string;
  }
}

const resultsDir = resolve(repoRoot(), '.test-results');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = new FaultStack(faultStackSettings());
  const figures = new FiguresFile(resolve(resultsDir, 'faults.jsonl'));
  figures.clear();
  process.stderr.write(`fault suite: starting its own servers in ${stack.settings.dir}\n`);
  await stack.up();
  project.provide('faultStack', stack.settings);
  project.provide('figuresPath', figures.path);
  return async () => {
    const rows = figures.read();
    if (rows.length > 0) {
      process.stdout.write(`\nFault suite figures\n\n${formatFigures(rows)}\n\n`);
      writeFileSync(resolve(resultsDir, 'faults.md'), `${formatFiguresMarkdown(rows)}\n`);
    }
    if (process.env.GENSTREAM_KEEP_STACK === '1') return;
    process.stderr.write('fault suite: stopping its servers\n');
    // The cluster case stops its cluster itself; this catches one a failed case left running.
    await Promise.all([stack.down(), new FaultStack(withKafkaCluster(stack.settings)).down(['kafka'])]);
  };
}
