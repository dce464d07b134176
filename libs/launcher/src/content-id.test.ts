import { describe, expect, it } from 'vitest';
import { contentIdOf, uuidV5 } from './content-id.js';

describe('contentIdOf', () => {
  it('is uuidv5 in the content namespace, the same for any case of the request id', () => {
    // RFC 9562 example value: uuidv5(NAMESPACE_DNS, 'www.example.com').
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    // The namespace itself is uuidv5(NAMESPACE_URL, 'urn:genstream:content').
    expect(uuidV5('urn:genstream:content', '6ba7b811-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '1f367696-c5df-5cc0-8c28-efa987c05607',
    );
    const requestId = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
    expect(contentIdOf(requestId)).toBe(contentIdOf(requestId.toLowerCase()));
  });
});
