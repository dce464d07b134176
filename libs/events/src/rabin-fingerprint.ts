// CRC-64-AVRO, the Rabin fingerprint the Avro specification defines for schema fingerprints.
// It runs once per schema (at start-up or when the registry sends a new one), never per record,
// so BigInt arithmetic is fine here.

const EMPTY = 0xc15d213aa4d7a795n;

const TABLE: readonly bigint[] = Array.from({ length: 256 }, (_, index) => {
  let fp = BigInt(index);
  for (let bit = 0; bit < 8; bit++) {
    fp = (fp & 1n) === 1n ? (fp >> 1n) ^ EMPTY : fp >> 1n;
  }
  return fp;
});

/** The 64-bit fingerprint as an unsigned BigInt (Java's `long` shows it signed: `BigInt.asIntN(64, fp)`). */
export function rabinFingerprint(bytes: Uint8Array): bigint {
  let fp = EMPTY;
  for (const byte of bytes) {
    fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(byte)) & 0xffn)]!;
  }
  return fp;
}

/** The fingerprint of a schema's Parsing Canonical Form, as the 8 little-endian bytes the wire carries. */
export function fingerprintBytes(canonicalForm: string): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(rabinFingerprint(Buffer.from(canonicalForm, 'utf8')));
  return bytes;
}
