import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { Parser } from '@asyncapi/parser';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSchemaDirectory } from '../schema-files.js';
import { contractTopics } from '../topics.js';
import { asyncApiDocument } from './asyncapi-document.js';
import { renderAsyncApi } from './render-asyncapi.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const schemas = `${root}schemas`;

describe('the AsyncAPI document', () => {
  it('is valid AsyncAPI 3.0 for the maintained parser, Avro payloads included', async () => {
    const parser = new Parser();
    parser.registerSchemaParser(AvroSchemaParser());
    const text = await renderAsyncApi(schemas, `${schemas}/asyncapi.yaml`);
    const { document, diagnostics } = await parser.parse(text);
    // Errors (0) and warnings (1); the one information is that AsyncAPI 3.1 exists.
    const problems = diagnostics.filter((d) => Number(d.severity) <= 1);
    expect(problems.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(
      document
        ?.channels()
        .all()
        .map((channel) => channel.address())
        .sort(),
    ).toEqual(contractTopics().sort());
  });

  it('embeds every schema file as it is and names who sends and receives each event', async () => {
    const files = await readSchemaDirectory(schemas);
    const document = asyncApiDocument(files) as {
      components: { messages: Record<string, { payload: { schema: unknown } }> };
      operations: Record<string, { action: string }>;
    };
    for (const file of files) {
      expect(document.components.messages[`${file.name}V${file.version}`]?.payload.schema).toEqual(
        file.schema,
      );
    }
    expect(document.operations).toMatchObject({
      generationSendsContentGenerated: { action: 'send' },
      metadataWriterReceivesContentGenerated: { action: 'receive' },
      metadataWriterSendsDeadLetterOfContentGenerated: { action: 'send' },
      cacheUpdaterReceivesGenerationFailed: { action: 'receive' },
      embeddingIndexerSendsContentIndexed: { action: 'send' },
    });
  });
});
