// A stable 32-bit string hash for feature hashing: FNV-1a over the UTF-8 bytes, then the
// MurmurHash3 finalizer so that every output bit depends on every input bit (FNV-1a alone leaves
// the low bits, which pick the bucket, weakly mixed). Defined on bytes, so any language can
// reproduce it, and the vectors stay the same from process to process.

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a (32-bit) of the UTF-8 encoding of `text`, unsigned. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  const add = (byte: number) => {
    hash = Math.imul(hash ^ byte, FNV_PRIME);
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.codePointAt(i)!;
    if (code > 0xffff) i++; // the low surrogate of a pair is part of this code point
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate encodes as U+FFFD
    if (code < 0x80) {
      add(code);
    } else if (code < 0x800) {
      add(0xc0 | (code >> 6));
      add(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      add(0xe0 | (code >> 12));
      add(0x80 | ((code >> 6) & 0x3f));
      add(0x80 | (code & 0x3f));
    } else {
      add(0xf0 | (code >> 18));
      add(0x80 | ((code >> 12) & 0x3f));
      add(0x80 | ((code >> 6) & 0x3f));
      add(0x80 | (code & 0x3f));
    }
  }
  return hash >>> 0;
}

/** The MurmurHash3 32-bit finalizer: a bijection that spreads every bit over all others. */
export function mix32(hash: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
