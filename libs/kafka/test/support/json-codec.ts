import { BadMagicError, InvalidEventError, TruncatedEventError } from '@genstream/errors';
import type { EventCodec } from '@genstream/kafka';

/**
 * A tiny codec with the same interface as @genstream/events' one, for tests that exercise the
 * runtime's logic rather than Avro: a magic byte 0x4A ('J') then JSON.
 */
export interface TestEvents {
  Ping: { requestId: string; n: number; note?: string };
  Pong: { requestId: string; n: number };
}

const MAGIC = 0x4a;

export function jsonCodec(): EventCodec<TestEvents> {
  return {
    async encode(name, event) {
      const paths = ['requestId', 'n'].filter((field) => !(field in (event as object)));
      if (paths.length > 0)
        throw new InvalidEventError(`${name}: ${paths.length} invalid field(s)`, { details: { paths } });
      return Buffer.concat([Buffer.from([MAGIC]), Buffer.from(JSON.stringify(event))]);
    },
    async decode(name, bytes) {
      if (bytes[0] !== MAGIC) throw new BadMagicError(`${name}: first byte ${bytes[0]} is not 0x4A`);
      try {
        return JSON.parse(bytes.subarray(1).toString('utf8')) as never;
      } catch (error) {
        throw new TruncatedEventError(`${name}: body is not complete JSON`, { cause: error });
      }
    },
  };
}
