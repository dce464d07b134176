import { describe, expect, it } from 'vitest';
import { fnv1a32, mix32 } from './hash.js';

/** FNV-1a written the plain way, over bytes, to check the string version against. */
function fnv1aOfBytes(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of any text, astral characters and lone surrogates included', () => {
    for (const text of ['café', 'w:straßenbahn', 'c:東京', 'b:🚀 launch', 'हिन्दी', 'x\ud800y']) {
      expect(fnv1a32(text)).toBe(fnv1aOfBytes(Buffer.from(text, 'utf8')));
    }
  });
});

describe('mix32', () => {
  it('is the MurmurHash3 finalizer', () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(0x514e28b7);
    expect(new Set([1, 2, 3, 4].map(mix32)).size).toBe(4);
  });
});
