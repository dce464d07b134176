import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSchemaRegistry, type FakeSchemaRegistry } from '../test/fake-schema-registry.js';
import { SchemaRegistryClient } from './schema-registry-client.js';

// The client against a tiny in-process registry (the two endpoints only): a unit test of the
// client's logic (caching, error mapping), not of a real registry's behaviour.

const SCHEMA = JSON.stringify({ type: 'record', name: 'Sample', fields: [{ name: 'a', type: 'int' }] });

describe('SchemaRegistryClient', () => {
  let registry: FakeSchemaRegistry;
  beforeAll(async () => {
    registry = await startFakeSchemaRegistry();
  });
  afterAll(async () => {
    await registry[Symbol.asyncDispose]();
  });

  it('registers under a subject and knows the id both ways without asking again', async () => {
    const client = new SchemaRegistryClient({ url: `${registry.url}/` });
    const before = registry.requests.length;
    const id = await client.register('orders-value', SCHEMA);
    expect(await client.register('orders-value', SCHEMA)).toBe(id);
    expect(await client.schemaById(id)).toBe(SCHEMA);
    expect(registry.requests.slice(before)).toEqual(['POST /subjects/orders-value/versions']);
  });

  it('sends the credentials of the URL as basic authentication, and keeps them out of messages', async () => {
    const url = new URL(registry.url);
    url.username = 'svc';
    url.password = 's3cret';
    const client = new SchemaRegistryClient({ url: url.href });
    registry.failNext(500);
    const error: unknown = await client.register('x-value', SCHEMA).catch((reason: unknown) => reason);
    expect(registry.authorizations.at(-1)).toBe(`Basic ${Buffer.from('svc:s3cret').toString('base64')}`);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('gives up after its timeout with a retriable RegistryUnavailableError', async () => {
    const client = new SchemaRegistryClient({ url: registry.url, timeoutMs: 50 });
    registry.hangNext();
    await expect(client.schemaById(1)).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
      retriable: true,
      message: `schema registry GET ${registry.url}/schemas/ids/1 failed: no answer within 50 ms`,
    });
  });

  it('treats 429 as come-back-later and other 4xx as permanent', async () => {
    const client = new SchemaRegistryClient({ url: registry.url });
    registry.failNext(429);
    await expect(client.register('y-value', SCHEMA)).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    registry.failNext(422);
    await expect(client.register('y-value', SCHEMA)).rejects.toMatchObject({
      code: 'REGISTRY_REJECTED',
      retriable: false,
      message: `schema registry POST ${registry.url}/subjects/y-value/versions answered 422: injected 422 (error code 42200)`,
    });
  });
});
