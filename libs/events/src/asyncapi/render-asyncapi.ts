import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import { readSchemaDirectory } from '../schema-files.js';
import { asyncApiDocument } from './asyncapi-document.js';

const HEADER =
  '# Generated from schemas/*.avsc by `npm run codegen` (libs/events/src/asyncapi); do not edit.\n';

/** The AsyncAPI document's exact text, formatted by Prettier so `prettier --check` agrees. */
export async function renderAsyncApi(schemaDirectory: string, outputPath: string): Promise<string> {
  const document = asyncApiDocument(await readSchemaDirectory(schemaDirectory));
  // No line folding and no anchors: the YAML reads like the .avsc it embeds and diffs line by line.
  const yaml = stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
  const config = (await resolveConfig(outputPath)) ?? {};
  return format(HEADER + yaml, { ...config, filepath: outputPath, parser: 'yaml' });
}
