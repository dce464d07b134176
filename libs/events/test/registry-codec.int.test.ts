import { EVENT_SCHEMAS, createEventCodec, type SchemaSet } from '@genstream/events';
import { aContentGenerated } from '@genstream/events/testing';
import { IncompatibleSchemaError } from '@genstream/errors';
import { testRegistry, uniqueName } from '@genstream/testing';
import { describe, expect, it } from 'vitest';

/** Codecs whose registry subjects are this test's own (`<unique topic>-value`), deleted afterwards. */
function codecsOn(registry: Awaited<ReturnType<typeof testRegistry>>, label: string) {
  const topic = uniqueName(label);
  registry.track(`${topic}-value`);
  const topicOf = () => topic;
  return (schemas?: SchemaSet) => createEventCodec({ registry: { url: registry.url }, topicOf, schemas });
}

describe('codec with a real schema registry (Confluent wire format)', () => {
  it('registers the writer schema, frames with its id, and a fresh reader resolves the id from the registry', async () => {
    await using registry = await testRegistry();
    const codecWith = codecsOn(registry, 'framing');
    const event = aContentGenerated();

    const bytes = await codecWith().encode('ContentGenerated', event);
    expect(bytes[0]).toBe(0x00);
    const id = bytes.readUInt32BE(1);
    const registered = (await (await fetch(`${registry.url}/schemas/ids/${id}`)).json()) as {
      schema: string;
    };
    expect(JSON.parse(registered.schema)).toMatchObject({ name: 'ContentGenerated', namespace: 'genstream' });

    const freshReader = codecWith();
    expect(await freshReader.decode('ContentGenerated', bytes)).toEqual(
      await codecWith().decode('ContentGenerated', bytes),
    );
    expect(await freshReader.decode('ContentGenerated', bytes)).toMatchObject({ ...event });

    // Readers accept both formats whatever they are configured with.
    const singleObject = await createEventCodec().encode('ContentGenerated', event);
    expect(await freshReader.decode('ContentGenerated', singleObject)).toMatchObject({ ...event });
  });

  it('rejects a new version the registry finds backward incompatible', async () => {
    await using registry = await testRegistry();
    const codecWith = codecsOn(registry, 'incompatible');
    await codecWith().encode('ContentGenerated', aContentGenerated());

    const v1 = EVENT_SCHEMAS.ContentGenerated[1] as { fields: object[] };
    const breaking = {
      ...v1,
      fields: [
        ...v1.fields,
        { name: 'mandatoryNew', type: 'int', doc: 'Added without a default: breaks old data.' },
      ],
    };
    // A producer that only knows the breaking schema: nothing local can object, the registry must.
    const writerOnBreakingSchema = codecWith({ ...EVENT_SCHEMAS, ContentGenerated: { 1: breaking } });
    await expect(
      writerOnBreakingSchema.encode('ContentGenerated', { ...aContentGenerated(), mandatoryNew: 1 } as never),
    ).rejects.toBeInstanceOf(IncompatibleSchemaError);
  });
});
