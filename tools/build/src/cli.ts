// npm run build [-- --force]: bundles each service and each shipped command (see buildEntries) into
// dist/ of its workspace; does nothing when the bundles are up to date.
import { parseArgs } from 'node:util';
import { repoRoot } from '@genstream/stack';
import { buildAll } from './build.js';

const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
const result = await buildAll(repoRoot(), { force: values.force });
if (!result.built) {
  console.log(
    `build: ${result.entries.length} bundles up to date (npm run build -- --force builds them again)`,
  );
} else {
  console.log(`build: ${result.entries.length} bundles in ${(result.ms / 1000).toFixed(1)} s`);
  for (const entry of result.entries) {
    const kib = ((result.bytes[entry.output] ?? 0) / 1024).toFixed(0).padStart(5);
    console.log(`  ${kib} KiB  ${entry.output}  (from ${entry.source})`);
  }
}
