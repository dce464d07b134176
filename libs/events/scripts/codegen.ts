// npm run codegen          writes what schemas/*.avsc determine: the TypeScript types
//                          (libs/events/src/generated/events.ts) and the AsyncAPI document
//                          (schemas/asyncapi.yaml)
// npm run codegen:check    exits 1 when either differs from what codegen would write
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAsyncApi } from '../src/asyncapi/render-asyncapi.js';
import { renderEventsModule } from '../src/codegen/render-events-module.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemaDirectory = path.join(root, 'schemas');
const outputs = [
  { file: path.join(root, 'libs/events/src/generated/events.ts'), render: renderEventsModule },
  { file: path.join(root, 'schemas/asyncapi.yaml'), render: renderAsyncApi },
];
const check = process.argv.includes('--check');

let stale = false;
for (const { file, render } of outputs) {
  const relative = path.relative(root, file);
  const expected = await render(schemaDirectory, file);
  if (!check) {
    await writeFile(file, expected);
    console.log(`wrote ${relative} from schemas/*.avsc`);
    continue;
  }
  const actual = await readFile(file, 'utf8').catch(() => undefined);
  if (actual === expected) {
    console.log(`${relative} is up to date with schemas/*.avsc`);
  } else {
    stale = true;
    console.error(
      actual === undefined
        ? `${relative} is missing. Run \`npm run codegen\` and commit the result.`
        : `${relative} is stale: it does not match schemas/*.avsc. Run \`npm run codegen\` and commit the result.`,
    );
  }
}
if (stale) process.exit(1);
