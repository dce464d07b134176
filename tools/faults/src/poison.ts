import { randomBytes, randomUUID } from 'node:crypto';
import { TOPICS, createEventCodec, type EventCodec, type GenerationRequested } from '@genstream/events';
import { aContentGenerated, aGenerationFailed, aGenerationRequested } from '@genstream/events/testing';
import { CONSUMED_TOPICS } from './rig.js';

/** A record no consumer can accept, and the reason code its dead letter must carry. */
export interface PoisonRecord {
  readonly kind: string;
  readonly topic: string;
  /** Unique per record: the dead letter keeps it, so each letter is matched to its poison. */
  readonly key: string;
  readonly value: Buffer | null;
  readonly expectedCode: string;
}

/** A valid record of each consumed topic, encoded, with its requestId: what the poison is cut from. */
const SAMPLES: Readonly<
  Record<string, (codec: EventCodec) => Promise<{ bytes: Buffer; requestId: string }>>
> = {
  [TOPICS.GenerationRequested]: async (codec) => {
    const event = aGenerationRequested();
    return { bytes: await codec.encode('GenerationRequested', event), requestId: event.requestId };
  },
  [TOPICS.ContentGenerated]: async (codec) => {
    const event = aContentGenerated();
    return { bytes: await codec.encode('ContentGenerated', event), requestId: event.requestId };
  },
  [TOPICS.GenerationFailed]: async (codec) => {
    const event = aGenerationFailed();
    return { bytes: await codec.encode('GenerationFailed', event), requestId: event.requestId };
  },
};

/** The consumed topics, each with the services whose groups read it. */
export const CONSUMED_BY: ReadonlyMap<string, readonly string[]> = new Map(
  Object.keys(SAMPLES).map((topic) => [
    topic,
    Object.entries(CONSUMED_TOPICS)
      .filter(([, topics]) => topics.includes(topic))
      .map(([service]) => service),
  ]),
);

/**
 * Five kinds of poison for each consumed topic: random bytes, an empty value, an Avro body cut in
 * half, a schema fingerprint nobody knows, and a well-formed record whose id is no UUID.
 */
export async function poisonRecords(): Promise<PoisonRecord[]> {
  const codec = createEventCodec();
  const records: PoisonRecord[] = [];
  for (const [topic, sampleOf] of Object.entries(SAMPLES)) {
    const { bytes: valid, requestId } = await sampleOf(codec);
    const poison = (kind: string, value: Buffer | null, expectedCode: string) =>
      records.push({ kind, topic, key: `poison-${kind}-${randomUUID()}`, value, expectedCode });

    const noise = randomBytes(64);
    noise[0] = 0x7b; // neither framing's magic byte ('{', as a JSON producer would send)
    poison('random bytes', noise, 'EVENT_BAD_MAGIC');
    poison('empty value', null, 'EVENT_TRUNCATED');
    poison('truncated Avro', valid.subarray(0, Math.floor(valid.length / 2)), 'EVENT_TRUNCATED');
    const unknownFingerprint = Buffer.from(valid);
    randomBytes(8).copy(unknownFingerprint, 2);
    poison('unknown schema fingerprint', unknownFingerprint, 'EVENT_UNKNOWN_SCHEMA');
    poison('id that is no UUID', withBrokenRequestId(valid, requestId), 'EVENT_INVALID');
  }
  return records;
}

/** The same bytes with the requestId's text replaced by as many characters that are no UUID. */
function withBrokenRequestId(encoded: Buffer, requestId: string): Buffer {
  const at = encoded.indexOf(Buffer.from(requestId));
  if (at < 0) throw new Error('the encoded sample does not contain its requestId');
  const broken = Buffer.from(encoded);
  broken.write('x'.repeat(requestId.length), at);
  return broken;
}

/**
 * GenerationRequested that decode fine but break the contract: answered on generation.failed
 * (the requester is told why), never dead-lettered.
 */
export function contractViolations(
  maxPromptChars = 20_000,
): { kind: string; request: GenerationRequested }[] {
  return [
    { kind: 'empty prompt', request: aGenerationRequested({ prompt: '' }) },
    {
      kind: 'huge prompt',
      request: aGenerationRequested({ prompt: 'word '.repeat(maxPromptChars / 4 + 100) }),
    },
    { kind: 'unknown model', request: aGenerationRequested({ model: 'no-such-model-v0' }) },
  ];
}
