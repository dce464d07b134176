// npm run schemas:check: every schemas/*.avsc parses, is documented and named after its file;
// versions run 1, 2, 3...; and the newest version of each event reads data written with every
// earlier one (BACKWARD, as a schema registry means it). Exits 1 on any failure.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSchemaDirectory } from '../src/schema-checks.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const directory = path.join(root, 'schemas');

const checks = await checkSchemaDirectory(directory);
for (const check of checks) {
  console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.subject}: ${check.message}`);
}
const failed = checks.filter((check) => !check.ok).length;
if (failed > 0) {
  console.error(`\n${failed} of ${checks.length} schema checks failed`);
  process.exit(1);
}
console.log(`\nall ${checks.length} schema checks passed`);
