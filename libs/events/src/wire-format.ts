import { BadMagicError, TruncatedEventError } from '@genstream/errors';

// The two framings a record value can have (DESIGN.md section 2, "Wire format").
//   Avro single-object encoding: C3 01 | 8-byte little-endian CRC-64-AVRO fingerprint | body
//   Confluent framing:           00    | 4-byte big-endian schema id                   | body

export const SINGLE_OBJECT_MAGIC = Buffer.from([0xc3, 0x01]);
export const SINGLE_OBJECT_HEADER_LENGTH = 10;
export const CONFLUENT_MAGIC = 0x00;
export const CONFLUENT_HEADER_LENGTH = 5;

export function singleObjectHeader(fingerprint: Buffer): Buffer {
  return Buffer.concat([SINGLE_OBJECT_MAGIC, fingerprint]);
}

export function confluentHeader(schemaId: number): Buffer {
  const header = Buffer.alloc(CONFLUENT_HEADER_LENGTH);
  header.writeUInt8(CONFLUENT_MAGIC, 0);
  header.writeInt32BE(schemaId, 1);
  return header;
}

/** The fingerprint as the 64-bit number it is, for messages: `0x7275d51a3f395c8f`. */
export function fingerprintHex(low: number, high: number): string {
  return `0x${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`;
}

/** The error for bytes whose first byte(s) are not a known framing; names what was found. */
export function badMagic(bytes: Buffer): BadMagicError {
  const first = bytes[0]!;
  if (first === SINGLE_OBJECT_MAGIC[0]) {
    return new BadMagicError(
      `bytes start ${hexByte(first)} ${hexByte(bytes[1]!)}: the Avro single-object encoding starts C3 01 ` +
        '(only version 01 of that format exists)',
    );
  }
  const printable = first >= 0x20 && first < 0x7f ? ` ('${String.fromCharCode(first)}')` : '';
  const hint = first === 0x7b || first === 0x5b ? ', which looks like JSON,' : '';
  return new BadMagicError(
    `first byte ${hexByte(first)}${printable}${hint} is neither C3 (Avro single-object encoding) ` +
      'nor 00 (Confluent schema-registry framing)',
  );
}

export function truncatedHeader(bytes: Buffer, format: 'single-object' | 'confluent'): TruncatedEventError {
  if (bytes.length === 0) {
    return new TruncatedEventError('empty value (0 bytes): an event needs a header and a body');
  }
  return format === 'single-object'
    ? new TruncatedEventError(
        `${bytes.length} bytes: the single-object header alone needs ${SINGLE_OBJECT_HEADER_LENGTH} ` +
          '(C3 01 and an 8-byte schema fingerprint)',
      )
    : new TruncatedEventError(
        `${bytes.length} bytes: the Confluent header alone needs ${CONFLUENT_HEADER_LENGTH} (00 and a 4-byte schema id)`,
      );
}

function hexByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
