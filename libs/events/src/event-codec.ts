import {
  IncompatibleSchemaError,
  InvalidEventError,
  TruncatedEventError,
  UnknownSchemaError,
} from '@genstream/errors';
import type { EventInputTypes, EventName, EventTypes } from './generated/events.js';
import { invalidEventError } from './invalid-event.js';
import { SchemaCatalog, type ReaderSchema, type WriterSchema } from './schema-catalog.js';
import { SchemaRegistryClient, type SchemaRegistryOptions } from './schema-registry-client.js';
import { DEFAULT_SCHEMAS, type SchemaSet } from './schema-set.js';
import { TOPICS, valueSubject } from './topics.js';
import {
  CONFLUENT_HEADER_LENGTH,
  CONFLUENT_MAGIC,
  SINGLE_OBJECT_HEADER_LENGTH,
  SINGLE_OBJECT_MAGIC,
  badMagic,
  confluentHeader,
  fingerprintHex,
  truncatedHeader,
} from './wire-format.js';

/** Turns events into record values and back. What the Kafka runtime calls for every record. */
export interface EventCodec {
  /**
   * Validates and encodes an event with the newest version of its schema. Single-object encoding
   * by default; Confluent framing when a registry is configured. Rejects with InvalidEventError
   * (`details.paths`: every invalid field), or RegistryUnavailableError (retriable).
   * Accepts every `EventTypes[N]`, and also events that leave out fields with a schema default.
   */
  encode<N extends EventName>(name: N, event: EventInputTypes[N]): Promise<Buffer>;
  /**
   * Decodes either framing, whatever the configuration, resolving the writer's schema version to
   * the newest one. Rejects with BadMagicError, TruncatedEventError, UnknownSchemaError,
   * IncompatibleSchemaError, InvalidEventError (all permanent) or RegistryUnavailableError.
   */
  decode<N extends EventName>(name: N, bytes: Buffer): Promise<EventTypes[N]>;
}

export interface EventCodecOptions {
  /** A Confluent schema registry: encode registers schemas there and writes its ids. */
  readonly registry?: SchemaRegistryOptions;
  /** The schemas (default: the generated set from schemas/*.avsc). For tests. */
  readonly schemas?: SchemaSet;
  /** The topic of an event name, for registry subjects (default: TOPICS). For tests. */
  readonly topicOf?: (name: string) => string | undefined;
}

export function createEventCodec(options: EventCodecOptions = {}): EventCodec {
  // The generated types come from the same schemas as DEFAULT_SCHEMAS, so the untyped codec's
  // values have exactly those shapes.
  return new AvroEventCodec(options) as EventCodec;
}

const INITIAL_SCRATCH = 16 * 1024;
// Larger events are written straight into their own buffer rather than kept around as scratch.
const MAX_SCRATCH = 1024 * 1024;

/** The codec without compile-time event types (names are plain strings): for fixture schemas. */
export class AvroEventCodec {
  private readonly catalog: SchemaCatalog;
  private readonly registry: SchemaRegistryClient | undefined;
  private readonly topicOf: (name: string) => string | undefined;
  private readonly confluentHeaders = new Map<WriterSchema, Buffer>();
  private readonly writersById = new Map<number, WriterSchema>();
  // Every encode writes here first and copies out the exact length: one allocation per event,
  // and no second pass for events larger than avsc's own 1 KiB buffer.
  private scratch = Buffer.allocUnsafeSlow(INITIAL_SCRATCH);

  constructor(options: EventCodecOptions = {}) {
    this.catalog = new SchemaCatalog(options.schemas ?? DEFAULT_SCHEMAS);
    this.registry = options.registry === undefined ? undefined : new SchemaRegistryClient(options.registry);
    this.topicOf = options.topicOf ?? ((name) => (TOPICS as Record<string, string | undefined>)[name]);
  }

  async encode(name: string, event: unknown): Promise<Buffer> {
    const writer = this.catalog.reader(name).newest;
    const header =
      this.registry === undefined
        ? writer.header
        : (this.confluentHeaders.get(writer) ?? (await this.registerWriter(name, writer, this.registry)));
    return this.write(name, writer, header, event);
  }

  async decode(name: string, bytes: Buffer): Promise<unknown> {
    const reader = this.catalog.reader(name);
    const first = bytes[0];
    if (first === SINGLE_OBJECT_MAGIC[0]) {
      if (bytes.length < 2) throw truncatedHeader(bytes, 'single-object');
      if (bytes[1] !== SINGLE_OBJECT_MAGIC[1]) throw badMagic(bytes);
      if (bytes.length < SINGLE_OBJECT_HEADER_LENGTH) throw truncatedHeader(bytes, 'single-object');
      const low = bytes.readUInt32LE(2);
      const high = bytes.readUInt32LE(6);
      const writer = this.catalog.writerByFingerprint(low, high);
      if (writer === undefined) throw unknownFingerprint(reader, low, high);
      return this.read(reader, writer, bytes, SINGLE_OBJECT_HEADER_LENGTH);
    }
    if (first === CONFLUENT_MAGIC) {
      if (bytes.length < CONFLUENT_HEADER_LENGTH) throw truncatedHeader(bytes, 'confluent');
      const id = bytes.readInt32BE(1);
      const writer = this.writersById.get(id) ?? (await this.fetchWriter(id));
      return this.read(reader, writer, bytes, CONFLUENT_HEADER_LENGTH);
    }
    if (first === undefined) throw truncatedHeader(bytes, 'single-object');
    throw badMagic(bytes);
  }

  private write(name: string, writer: WriterSchema, header: Buffer, event: unknown): Buffer {
    // avsc's write checks every value as it goes, so a successful write is the validation; the
    // field-by-field diagnosis runs only when it fails.
    let scratch = this.scratch;
    header.copy(scratch, 0);
    let end: number;
    try {
      end = writer.type.encode(event, scratch, header.length);
      if (end < 0) {
        // Too small: `-end` more bytes were needed.
        const needed = scratch.length - end;
        if (needed > MAX_SCRATCH) {
          const exact = Buffer.allocUnsafe(needed);
          header.copy(exact, 0);
          writer.type.encode(event, exact, header.length);
          return exact;
        }
        scratch = this.scratch = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(needed)));
        header.copy(scratch, 0);
        end = writer.type.encode(event, scratch, header.length);
      }
    } catch (error) {
      throw invalidEventError(name, writer.type, event, error);
    }
    const bytes = Buffer.allocUnsafe(end);
    scratch.copy(bytes, 0, 0, end);
    return bytes;
  }

  private read(reader: ReaderSchema, writer: WriterSchema, bytes: Buffer, offset: number): unknown {
    const resolver = this.catalog.resolver(reader, writer);
    if (typeof resolver === 'string') throw new IncompatibleSchemaError(resolver);
    let result: { value: unknown; offset: number };
    try {
      result = reader.newest.type.decode(bytes, offset, resolver);
    } catch (error) {
      throw new InvalidEventError(
        `the body does not match its writer schema ${writer.label}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (result.offset < 0) {
      throw new TruncatedEventError(
        `${bytes.length} bytes: the ${writer.label} body ends before the schema's last field`,
      );
    }
    if (result.offset !== bytes.length) {
      throw new InvalidEventError(
        `${bytes.length - result.offset} bytes left over after a complete ${writer.label} body`,
      );
    }
    // Avro decodes any string where the schema says uuid; the contract does not. A non-UUID id
    // from another producer is refused here, by every consumer alike, rather than stored by some
    // writers and refused by others (PostgreSQL's uuid columns).
    if (!reader.newest.type.isValid(result.value)) {
      throw invalidEventError(reader.name, reader.newest.type, result.value, undefined);
    }
    return result.value;
  }

  private async registerWriter(
    name: string,
    writer: WriterSchema,
    registry: SchemaRegistryClient,
  ): Promise<Buffer> {
    const topic = this.topicOf(name);
    if (topic === undefined) throw new UnknownSchemaError(`no topic for ${name}, so no registry subject`);
    const id = await registry.register(valueSubject(topic), writer.text);
    const header = confluentHeader(id);
    this.confluentHeaders.set(writer, header);
    this.writersById.set(id, writer);
    return header;
  }

  private async fetchWriter(id: number): Promise<WriterSchema> {
    if (this.registry === undefined) {
      throw new UnknownSchemaError(
        `the bytes carry Confluent schema id ${id}, but no schema registry is configured to look it up`,
      );
    }
    const writer = this.catalog.adopt(await this.registry.schemaById(id), `schema id ${id}`);
    this.writersById.set(id, writer);
    return writer;
  }
}

function unknownFingerprint(reader: ReaderSchema, low: number, high: number): UnknownSchemaError {
  const newest = reader.newest;
  return new UnknownSchemaError(
    `unknown writer schema: fingerprint ${fingerprintHex(low, high)} is no known version of any schema ` +
      `(reading ${reader.name}, whose newest version ${newest.label} has fingerprint ` +
      `${fingerprintHex(newest.fingerprintLow, newest.fingerprintHigh)})`,
    { details: { fingerprint: fingerprintHex(low, high) } },
  );
}
