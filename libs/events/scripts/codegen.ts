// npm run codegen          writes libs/events/src/generated/events.ts from schemas/*.avsc
// npm run codegen:check    exits 1 when that file differs from what codegen would write
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEventsModule } from '../src/codegen/render-events-module.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemaDirectory = path.join(root, 'schemas');
const output = path.join(root, 'libs/events/src/generated/events.ts');
const relativeOutput = path.relative(root, output);

const expected = await renderEventsModule(schemaDirectory, output);

if (process.argv.includes('--check')) {
  const actual = await readFile(output, 'utf8').catch(() => undefined);
  if (actual !== expected) {
    console.error(
      actual === undefined
        ? `${relativeOutput} is missing. Run \`npm run codegen\` and commit the result.`
        : `${relativeOutput} is stale: it does not match schemas/*.avsc. Run \`npm run codegen\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`${relativeOutput} is up to date with schemas/*.avsc`);
} else {
  await writeFile(output, expected);
  console.log(`wrote ${relativeOutput} from schemas/*.avsc`);
}
