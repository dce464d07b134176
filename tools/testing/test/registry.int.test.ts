import { describe, expect, it } from 'vitest';
import { testRegistry } from '@genstream/testing';

/** Avro record schemas as a Confluent client sends them: the schema's JSON as a string. */
const record = (fields: object[]) =>
  JSON.stringify({ type: 'record', name: 'ContentGenerated', namespace: 'genstream.test', fields });
const v1 = record([
  { name: 'contentId', type: 'string' },
  { name: 'text', type: 'string' },
]);
/** Adds a field with a default: readers of v2 can still read v1 data (BACKWARD compatible). */
const v2 = record([
  { name: 'contentId', type: 'string' },
  { name: 'text', type: 'string' },
  { name: 'model', type: ['null', 'string'], default: null },
]);
/** Adds a required field: readers of this cannot read v1 or v2 data (not BACKWARD compatible). */
const incompatible = record([
  { name: 'contentId', type: 'string' },
  { name: 'text', type: 'string' },
  { name: 'model', type: ['null', 'string'], default: null },
  { name: 'tokens', type: 'int' },
]);

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': CONTENT_TYPE },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe('schema registry round trip (Confluent API against the real registry)', () => {
  it('registers an Avro schema, looks it up by id, enforces BACKWARD compatibility and deletes the subject', async () => {
    await using registry = await testRegistry();
    const subject = registry.subject('registry roundtrip');
    const versions = `${registry.url}/subjects/${subject}/versions`;

    expect(await call('GET', `${registry.url}/config`)).toEqual({
      status: 200,
      json: { compatibilityLevel: 'BACKWARD' },
    });

    const first = await call('POST', versions, { schema: v1 });
    expect(first.status).toBe(200);
    const { id } = first.json as { id: number };
    expect(id).toEqual(expect.any(Number));

    const byId = await call('GET', `${registry.url}/schemas/ids/${id}`);
    expect(byId.status).toBe(200);
    expect(JSON.parse((byId.json as { schema: string }).schema)).toEqual(JSON.parse(v1));

    // The same schema again is not a new version: the same id comes back.
    expect(await call('POST', versions, { schema: v1 })).toEqual({ status: 200, json: { id } });

    const second = await call('POST', versions, { schema: v2 });
    expect(second.status).toBe(200);
    expect((second.json as { id: number }).id).not.toBe(id);

    const rejected = await call('POST', versions, { schema: incompatible });
    expect(rejected.status).toBe(409);
    expect((rejected.json as { message: string }).message).toMatch(/incompatible/i);

    expect(await call('GET', versions)).toEqual({ status: 200, json: [1, 2] });
    expect(await call('GET', `${versions}/latest`)).toMatchObject({
      status: 200,
      json: { subject, version: 2, id: (second.json as { id: number }).id },
    });

    expect(await call('DELETE', `${registry.url}/subjects/${subject}`)).toEqual({
      status: 200,
      json: [1, 2],
    });
    expect(await call('DELETE', `${registry.url}/subjects/${subject}?permanent=true`)).toMatchObject({
      status: 200,
    });
    expect((await call('GET', versions)).status).toBe(404);
    expect((await call('GET', `${registry.url}/subjects`)).json).not.toContain(subject);
  });
});
