import { readFileSync } from 'node:fs';
import { GenstreamError } from '@genstream/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSchemaRegistry, type FakeSchemaRegistry } from '../test/fake-schema-registry.js';
import { parsingCanonicalForm } from './canonical-form.js';
import { AvroEventCodec, createEventCodec, type EventCodec } from './event-codec.js';
import { EVENT_SCHEMAS, type EventName, type EventTypes } from './generated/events.js';
import { fingerprintBytes } from './rabin-fingerprint.js';
import {
  aContentGenerated,
  aContentIndexed,
  aGenerationFailed,
  aGenerationRequested,
} from './testing/factories.js';
import { TOPICS } from './topics.js';

const EXAMPLES: { [N in EventName]: () => EventTypes[N] } = {
  GenerationRequested: () => aGenerationRequested(),
  ContentGenerated: () => aContentGenerated(),
  ContentIndexed: () => aContentIndexed(),
  GenerationFailed: () => aGenerationFailed(),
};
const NAMES = Object.keys(EXAMPLES) as EventName[];

/** The rejection of `promise`, which must be a GenstreamError (so it carries a code). */
async function failure(promise: Promise<unknown>): Promise<GenstreamError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GenstreamError);
  return error as GenstreamError;
}

function fingerprintOf(name: EventName): Buffer {
  return fingerprintBytes(parsingCanonicalForm(EVENT_SCHEMAS[name][1]));
}

describe('single-object encoding (the default)', () => {
  const codec = createEventCodec();

  it.each(NAMES)('round-trips %s, behind C3 01 and its schema fingerprint', async (name) => {
    const event = EXAMPLES[name]();
    const bytes = await codec.encode(name, event);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xc3, 0x01]));
    expect(bytes.subarray(2, 10)).toEqual(fingerprintOf(name));
    expect(await codec.decode(name, bytes)).toEqual(event);
  });

  it('writes schema defaults for the fields an input leaves out', async () => {
    const bytes = await codec.encode('GenerationRequested', {
      requestId: '0b5c5a4e-3a5e-4a7b-9a47-2f1b3c7d9e01',
      userId: 7,
      title: 'Short',
      prompt: 'Say hello.',
      model: 'local',
      requestedAt: 1_763_717_400_000,
    });
    expect(await codec.decode('GenerationRequested', bytes)).toEqual({
      requestId: '0b5c5a4e-3a5e-4a7b-9a47-2f1b3c7d9e01',
      userId: 7,
      title: 'Short',
      prompt: 'Say hello.',
      model: 'local',
      requestedAt: 1_763_717_400_000,
      parameters: { temperature: null, maxTokens: null, topP: null, systemPrompt: null },
      tenant: null,
      cacheScope: 'USER',
      correlationId: null,
      causationId: null,
      source: null,
    });
  });

  it('encodes events larger than its scratch buffer, small and very large', async () => {
    for (const size of [40_000, 3_000_000]) {
      const event = aContentGenerated({ output: 'x'.repeat(size) });
      const bytes = await codec.encode('ContentGenerated', event);
      expect(await codec.decode('ContentGenerated', bytes)).toEqual(event);
    }
    // And the scratch buffer still serves small events afterwards.
    const small = aGenerationRequested();
    expect(
      await codec.decode('GenerationRequested', await codec.encode('GenerationRequested', small)),
    ).toEqual(small);
  });

  it('returns buffers that later encodes do not overwrite', async () => {
    const first = aGenerationRequested();
    const bytes = await codec.encode('GenerationRequested', first);
    await codec.encode('GenerationRequested', aGenerationRequested({ title: 'another title entirely' }));
    expect(await codec.decode('GenerationRequested', bytes)).toEqual(first);
  });
});

describe('encode rejects invalid events', () => {
  const codec = createEventCodec();

  it('with InvalidEventError listing every invalid field path', async () => {
    const event = {
      ...aContentGenerated(),
      requestId: 'not-a-uuid',
      userId: '42',
      cacheHit: 'HIT',
      parameters: { temperature: 'warm', maxTokens: 1.5, topP: null, systemPrompt: null },
      title: undefined,
    };
    const error = await failure(codec.encode('ContentGenerated', event as never));
    expect(error.code).toBe('EVENT_INVALID');
    expect(error.retriable).toBe(false);
    expect(error.details.paths).toEqual([
      'requestId',
      'userId',
      'title',
      'cacheHit',
      'parameters.temperature',
      'parameters.maxTokens',
    ]);
    expect(error.message).toContain('ContentGenerated is invalid (6 fields)');
    expect(error.message).toContain('requestId must be a UUID string, got the string "not-a-uuid"');
    expect(error.message).toContain('userId must be a long (an integer within ±2^53), got the string "42"');
    expect(error.message).toContain('title must be a string, got nothing (the field is missing)');
    expect(error.message).toContain('cacheHit must be one of NONE, EXACT, SEMANTIC, got the string "HIT"');
    expect(error.message).toContain('parameters.temperature must be null or a double, got the string "warm"');
  });

  it('without copying long texts (prompts) into the message', async () => {
    const event = { ...aGenerationRequested(), title: 'x'.repeat(500), userId: Number.MAX_SAFE_INTEGER + 2 };
    const error = await failure(codec.encode('GenerationRequested', { ...event, title: 42 } as never));
    expect(error.details.paths).toEqual(['userId', 'title']);
    const long = await failure(codec.encode('GenerationRequested', { ...event, model: null } as never));
    expect(long.message).not.toContain('xxxxxxxx');
  });

  it('naming the event itself when it is not an object', async () => {
    const error = await failure(codec.encode('ContentIndexed', null as never));
    expect(error.details.paths).toEqual(['']);
    expect(error.message).toContain('the event must be a genstream.ContentIndexed object, got null');
  });

  it('and stays usable afterwards', async () => {
    await failure(codec.encode('GenerationRequested', { userId: 1 } as never));
    const event = aGenerationRequested();
    expect(
      await codec.decode('GenerationRequested', await codec.encode('GenerationRequested', event)),
    ).toEqual(event);
  });
});

describe('decode rejects bad bytes with a typed error', () => {
  const codec = createEventCodec();
  let valid: Buffer;
  beforeAll(async () => {
    valid = await codec.encode('GenerationRequested', aGenerationRequested());
  });

  it('BadMagicError for a first byte that is no known framing', async () => {
    const error = await failure(codec.decode('GenerationRequested', Buffer.from('{"requestId":"x"}')));
    expect(error.code).toBe('EVENT_BAD_MAGIC');
    expect(error.message).toBe(
      "first byte 7B ('{'), which looks like JSON, is neither C3 (Avro single-object encoding) " +
        'nor 00 (Confluent schema-registry framing)',
    );
    const version = await failure(
      codec.decode('GenerationRequested', Buffer.from([0xc3, 0x02, ...valid.subarray(2)])),
    );
    expect(version.code).toBe('EVENT_BAD_MAGIC');
    expect(version.message).toContain('bytes start C3 02');
  });

  it('TruncatedEventError for bytes shorter than a header', async () => {
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from([0xc3]),
      valid.subarray(0, 9),
      Buffer.from([0, 0, 0, 1]),
    ]) {
      const error = await failure(codec.decode('GenerationRequested', bytes));
      expect(error.code).toBe('EVENT_TRUNCATED');
    }
    expect((await failure(codec.decode('GenerationRequested', valid.subarray(0, 9)))).message).toBe(
      '9 bytes: the single-object header alone needs 10 (C3 01 and an 8-byte schema fingerprint)',
    );
  });

  it('TruncatedEventError for a body cut anywhere', async () => {
    for (let length = 10; length < valid.length; length++) {
      const error = await failure(codec.decode('GenerationRequested', valid.subarray(0, length)));
      expect(error.code, `cut at ${length} of ${valid.length} bytes`).toBe('EVENT_TRUNCATED');
    }
  });

  it('UnknownSchemaError for a fingerprint of no known schema, naming it', async () => {
    const bytes = Buffer.from(valid);
    bytes.writeUInt32LE(0xdeadbeef, 2);
    const error = await failure(codec.decode('GenerationRequested', bytes));
    expect(error.code).toBe('EVENT_UNKNOWN_SCHEMA');
    expect(error.message).toContain(
      `fingerprint 0x${bytes.readUInt32LE(6).toString(16).padStart(8, '0')}deadbeef`,
    );
    expect(error.message).toContain('genstream.GenerationRequested v1');
  });

  it('UnknownSchemaError for a Confluent schema id when no registry is configured', async () => {
    const error = await failure(
      codec.decode('GenerationRequested', Buffer.from([0, 0, 0, 0, 7, ...valid.subarray(10)])),
    );
    expect(error.code).toBe('EVENT_UNKNOWN_SCHEMA');
    expect(error.message).toBe(
      'the bytes carry Confluent schema id 7, but no schema registry is configured to look it up',
    );
  });

  it('IncompatibleSchemaError for another event than the one expected', async () => {
    const bytes = await codec.encode('ContentIndexed', aContentIndexed());
    const error = await failure(codec.decode('GenerationRequested', bytes));
    expect(error.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(error.message).toBe(
      'the bytes hold a genstream.ContentIndexed v1 event, not a GenerationRequested (reader genstream.GenerationRequested v1)',
    );
  });

  it('InvalidEventError for bytes left over after the body', async () => {
    const error = await failure(
      codec.decode('GenerationRequested', Buffer.concat([valid, Buffer.from([1, 2])])),
    );
    expect(error.code).toBe('EVENT_INVALID');
    expect(error.message).toBe('2 bytes left over after a complete genstream.GenerationRequested v1 body');
  });

  it('InvalidEventError naming the field for a uuid field that holds no UUID (another producer wrote it)', async () => {
    const event = aGenerationRequested();
    const bytes = await codec.encode('GenerationRequested', event);
    // Same length, so the Avro string stays well formed: only its content breaks the contract.
    const at = bytes.indexOf(Buffer.from(event.requestId));
    const broken = Buffer.from(bytes);
    broken.write('not-a-uuid-not-a-uuid-not-a-uuid-xx', at);
    const error = await failure(codec.decode('GenerationRequested', broken));
    expect(error.code).toBe('EVENT_INVALID');
    expect(error.details).toMatchObject({ paths: ['requestId'] });
    expect(error.message).toContain('requestId must be a UUID string');
  });

  it('UnknownSchemaError for an event name without a schema', async () => {
    const error = await failure(codec.decode('Nope' as EventName, valid));
    expect(error.code).toBe('EVENT_UNKNOWN_SCHEMA');
    expect(error.message).toContain('no schema named Nope');
  });
});

describe('Confluent framing with a schema registry (in-process fake registry: a unit test of the client logic)', () => {
  let registry: FakeSchemaRegistry;
  let codec: EventCodec;
  beforeAll(async () => {
    registry = await startFakeSchemaRegistry();
    codec = createEventCodec({ registry: { url: registry.url } });
  });
  afterAll(async () => {
    await registry[Symbol.asyncDispose]();
  });

  it.each(NAMES)('round-trips %s, registered under <topic>-value', async (name) => {
    const event = EXAMPLES[name]();
    const bytes = await codec.encode(name, event);
    expect(bytes[0]).toBe(0);
    const id = bytes.readInt32BE(1);
    expect(registry.subjects.get(`${TOPICS[name]}-value`)).toEqual([id]);
    // A fresh codec has to look the id up; the encoding one knows it already.
    const reader = createEventCodec({ registry: { url: registry.url } });
    expect(await reader.decode(name, bytes)).toEqual(event);
    expect(await codec.decode(name, bytes)).toEqual(event);
  });

  it('registers a schema once and looks an id up once, even when asked concurrently', async () => {
    const writer = createEventCodec({ registry: { url: registry.url } });
    const reader = createEventCodec({ registry: { url: registry.url } });
    const before = registry.requests.length;
    const encoded = await Promise.all(
      [1, 2, 3, 4, 5].map(() => writer.encode('ContentGenerated', aContentGenerated())),
    );
    await Promise.all(encoded.map((bytes) => reader.decode('ContentGenerated', bytes)));
    await reader.decode('ContentGenerated', encoded[0]!);
    expect(registry.requests.slice(before)).toEqual([
      'POST /subjects/genstream.content.generated-value/versions',
      `GET /schemas/ids/${encoded[0]!.readInt32BE(1)}`,
    ]);
  });

  it('still decodes the single-object encoding', async () => {
    const event = aGenerationRequested();
    const bytes = await createEventCodec().encode('GenerationRequested', event);
    expect(await codec.decode('GenerationRequested', bytes)).toEqual(event);
  });

  it('turns 5xx answers into RegistryUnavailableError (retriable), and asks again next time', async () => {
    const writer = createEventCodec({ registry: { url: registry.url } });
    registry.failNext(503);
    const error = await failure(writer.encode('GenerationFailed', aGenerationFailed()));
    expect(error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
    expect(error.message).toContain('answered 503: injected 503 (error code 50300)');
    const event = aGenerationFailed();
    expect(await writer.decode('GenerationFailed', await writer.encode('GenerationFailed', event))).toEqual(
      event,
    );
  });

  it('turns an unreachable registry into RegistryUnavailableError', async () => {
    const gone = await startFakeSchemaRegistry();
    await gone[Symbol.asyncDispose]();
    const error = await failure(
      createEventCodec({ registry: { url: gone.url } }).encode('GenerationRequested', aGenerationRequested()),
    );
    expect(error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('turns 4xx answers into permanent errors', async () => {
    const writer = createEventCodec({ registry: { url: registry.url } });
    registry.failNext(401);
    expect(await failure(writer.encode('ContentIndexed', aContentIndexed()))).toMatchObject({
      code: 'REGISTRY_REJECTED',
      retriable: false,
    });
    registry.failNext(409);
    expect(await failure(writer.encode('ContentIndexed', aContentIndexed()))).toMatchObject({
      code: 'SCHEMA_INCOMPATIBLE',
      retriable: false,
    });
  });

  it('reports an id the registry does not have as UnknownSchemaError, naming the id', async () => {
    const error = await failure(codec.decode('GenerationRequested', Buffer.from([0, 0, 0, 0x30, 0x39, 2])));
    expect(error.code).toBe('EVENT_UNKNOWN_SCHEMA');
    expect(error.message).toBe(
      `schema id 12345 is not in the schema registry at ${registry.url}: Schema not found (error code 40403)`,
    );
  });
});

describe('schema evolution (fixture schemas injected into the codec)', () => {
  const FIXTURES = new URL('../test/fixtures/compatibility/compatible/', import.meta.url);
  const fixture = (name: string, version: 1 | 2) =>
    JSON.parse(readFileSync(new URL(`${name}/v${version}.avsc`, FIXTURES), 'utf8')) as object;
  const v1Only = (name: string) => new AvroEventCodec({ schemas: { Sample: { 1: fixture(name, 1) } } });
  const both = (name: string, registryUrl?: string) =>
    new AvroEventCodec({
      schemas: { Sample: { 1: fixture(name, 1), 2: fixture(name, 2) } },
      registry: registryUrl === undefined ? undefined : { url: registryUrl },
      topicOf: () => 'test.sample',
    });
  const sample = { id: '6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e', count: 3, label: 'three' };

  it('reads data written with v1 into v2, filling the added field with its default', async () => {
    const bytes = await v1Only('added-field-with-default').encode('Sample', sample);
    expect(await both('added-field-with-default').decode('Sample', bytes)).toEqual({ ...sample, note: null });
  });

  it('applies type promotions and aliases', async () => {
    const promoted = await both('int-promoted-to-double').decode(
      'Sample',
      await v1Only('int-promoted-to-double').encode('Sample', sample),
    );
    expect(promoted).toEqual(sample);
    const renamed = await both('field-renamed-with-alias').decode(
      'Sample',
      await v1Only('field-renamed-with-alias').encode('Sample', sample),
    );
    expect(renamed).toEqual({ id: sample.id, count: 3, title: 'three' });
  });

  it('resolves a writer schema that only the registry knows', async () => {
    await using registry = await startFakeSchemaRegistry();
    const writer = new AvroEventCodec({
      schemas: { Sample: { 1: fixture('added-field-with-default', 1) } },
      registry: { url: registry.url },
      topicOf: () => 'test.sample',
    });
    const bytes = await writer.encode('Sample', sample);
    const reader = new AvroEventCodec({
      schemas: { Sample: { 1: fixture('added-field-with-default', 2) } },
      registry: { url: registry.url },
    });
    expect(await reader.decode('Sample', bytes)).toEqual({ ...sample, note: null });
  });

  it('refuses, at creation, a schema set whose newest version cannot read an older one', () => {
    const incompatible = new URL(
      '../test/fixtures/compatibility/incompatible/added-field-without-default/',
      import.meta.url,
    );
    const read = (file: string) => JSON.parse(readFileSync(new URL(file, incompatible), 'utf8')) as object;
    expect(
      () => new AvroEventCodec({ schemas: { Sample: { 1: read('v1.avsc'), 2: read('v2.avsc') } } }),
    ).toThrow(
      'genstream.Sample v1 cannot be read as genstream.Sample v2: no matching field for default-less genstream.Sample.note',
    );
  });
});
