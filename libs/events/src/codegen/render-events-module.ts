import { format, resolveConfig } from 'prettier';
import { readSchemaDirectory } from '../schema-files.js';
import { generateEventTypes } from './generate-types.js';

/**
 * The generated module's exact text for a schemas directory, formatted with the repository's
 * Prettier settings (so `prettier --write` and `codegen:check` agree). `outputPath` only selects
 * the Prettier configuration.
 */
export async function renderEventsModule(schemaDirectory: string, outputPath: string): Promise<string> {
  const files = await readSchemaDirectory(schemaDirectory);
  const config = (await resolveConfig(outputPath)) ?? {};
  return format(generateEventTypes(files), { ...config, filepath: outputPath, parser: 'typescript' });
}
