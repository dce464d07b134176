import { describe, expect, it } from 'vitest';
import { CONTENT_ID_NAMESPACE, contentIdOf, isUuid, uuidV5 } from './content-id.js';

const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5', () => {
  it('matches the known vectors (Python uuid.uuid5 with NAMESPACE_DNS)', () => {
    expect(uuidV5('python.org', NAMESPACE_DNS)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5('www.example.com', NAMESPACE_DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives the genstream namespace as documented', () => {
    expect(uuidV5('urn:genstream:content', NAMESPACE_URL)).toBe(CONTENT_ID_NAMESPACE);
  });

  it('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(RangeError);
  });
});

describe('contentIdOf', () => {
  const requestId = '0b5c8f0e-3f5a-4d8e-9a57-2f1f0c3b7d11';

  it('is a deterministic version 5 UUID of the request id', () => {
    const contentId = contentIdOf(requestId);
    expect(contentId).toBe('7c576bbc-e9fe-5875-97e3-38eadba96e8c');
    expect(contentIdOf(requestId)).toBe(contentId);
    expect(contentId[14]).toBe('5');
    expect(isUuid(contentId)).toBe(true);
  });

  it('ignores the case of the request id and differs between requests', () => {
    expect(contentIdOf(requestId.toUpperCase())).toBe(contentIdOf(requestId));
    expect(contentIdOf('1b5c8f0e-3f5a-4d8e-9a57-2f1f0c3b7d11')).not.toBe(contentIdOf(requestId));
  });
});
