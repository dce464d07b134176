import { IncompatibleSchemaError, InvalidSchemaError, UnknownSchemaError } from '@genstream/errors';
import type avro from 'avsc';
import { avroType, type Resolver } from './avro-type.js';
import { parsingCanonicalForm } from './canonical-form.js';
import { fingerprintBytes } from './rabin-fingerprint.js';
import type { SchemaSet } from './schema-set.js';
import { fingerprintHex, singleObjectHeader } from './wire-format.js';

/** A schema some writer used: one of our versions, or one the registry sent. */
export interface WriterSchema {
  /** Full record name, e.g. `genstream.GenerationRequested`. */
  readonly fullName: string;
  /** Our version number; undefined for a schema known only from the registry. */
  readonly version: number | undefined;
  readonly type: avro.Type;
  /** The schema as JSON text, as registered with a schema registry. */
  readonly text: string;
  readonly fingerprintLow: number;
  readonly fingerprintHigh: number;
  /** The single-object encoding header (C3 01 + fingerprint), ready to copy. */
  readonly header: Buffer;
  /** For messages: `genstream.GenerationRequested v1`. */
  readonly label: string;
}

/** The schema data is read into: the newest version of one name, with resolvers from older writers. */
export interface ReaderSchema {
  readonly name: string;
  readonly newest: WriterSchema;
  /** Per writer schema: how to read it into `newest`, or why it cannot be. Filled lazily. */
  readonly resolvers: Map<WriterSchema, Resolver | string>;
}

/** Every schema the codec knows, indexed for the per-record lookups (name, fingerprint). */
export class SchemaCatalog {
  private readonly readers = new Map<string, ReaderSchema>();
  // Keyed by the fingerprint's low 32 bits, so a lookup allocates nothing (no BigInt, no string).
  private readonly byFingerprint = new Map<number, WriterSchema[]>();

  constructor(schemas: SchemaSet) {
    for (const [name, versions] of Object.entries(schemas)) {
      const numbers = Object.keys(versions)
        .map(Number)
        .sort((a, b) => a - b);
      if (numbers.length === 0) throw new InvalidSchemaError(`schema set: ${name} has no versions`);
      const writers = numbers.map((version) =>
        this.register(versions[version], version, `${name} v${version}`),
      );
      const newest = writers.at(-1)!;
      if (!newest.fullName.endsWith(`.${name}`) && newest.fullName !== name) {
        throw new InvalidSchemaError(`schema set: ${name} holds record ${newest.fullName}`);
      }
      const reader: ReaderSchema = { name, newest, resolvers: new Map() };
      this.readers.set(name, reader);
      // Resolve every older version now: an incompatible one fails at start-up, not on a record.
      for (const writer of writers.slice(0, -1)) {
        const resolver = this.resolver(reader, writer);
        if (typeof resolver === 'string') throw new IncompatibleSchemaError(resolver);
      }
    }
  }

  /** The reader schema of an event name; UnknownSchemaError for names not in the set. */
  reader(name: string): ReaderSchema {
    const reader = this.readers.get(name);
    if (reader === undefined) {
      throw new UnknownSchemaError(`no schema named ${name}; known: ${[...this.readers.keys()].join(', ')}`);
    }
    return reader;
  }

  writerByFingerprint(low: number, high: number): WriterSchema | undefined {
    const candidates = this.byFingerprint.get(low);
    if (candidates === undefined) return undefined;
    for (const writer of candidates) {
      if (writer.fingerprintHigh === high) return writer;
    }
    return undefined;
  }

  /**
   * A writer schema received as text (from a registry). Returns our own entry when the text is one
   * of our versions (same canonical form), so it shares that version's resolvers.
   */
  adopt(text: string, origin: string): WriterSchema {
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch (error) {
      throw new InvalidSchemaError(`${origin} is not valid JSON`, { cause: error });
    }
    const fingerprint = fingerprintBytes(canonicalForm(schema, origin));
    const known = this.writerByFingerprint(fingerprint.readUInt32LE(0), fingerprint.readUInt32LE(4));
    return known ?? this.register(schema, undefined, origin, true);
  }

  /**
   * How to read `writer` data into `reader`: undefined when no resolution is needed (same schema),
   * a resolver, or the reason (a string) why it cannot be read. Cached per writer.
   */
  resolver(reader: ReaderSchema, writer: WriterSchema): Resolver | string | undefined {
    if (writer === reader.newest) return undefined;
    let resolver = reader.resolvers.get(writer);
    if (resolver === undefined) {
      try {
        resolver = reader.newest.type.createResolver(writer.type);
      } catch (error) {
        resolver =
          writer.fullName === reader.newest.fullName
            ? `${writer.label} cannot be read as ${reader.newest.label}: ${(error as Error).message}`
            : `the bytes hold a ${writer.label} event, not a ${reader.name} (reader ${reader.newest.label})`;
      }
      reader.resolvers.set(writer, resolver);
    }
    return resolver;
  }

  private register(
    schema: unknown,
    version: number | undefined,
    origin: string,
    anyUnions = false,
  ): WriterSchema {
    const fingerprint = fingerprintBytes(canonicalForm(schema, origin));
    let type: avro.Type;
    try {
      type = avroType(schema, { anyUnions });
    } catch (error) {
      throw new InvalidSchemaError(`${origin} is not a valid Avro schema: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const fullName = type.name ?? type.typeName;
    const low = fingerprint.readUInt32LE(0);
    const high = fingerprint.readUInt32LE(4);
    const writer: WriterSchema = {
      fullName,
      version,
      type,
      text: JSON.stringify(schema),
      fingerprintLow: low,
      fingerprintHigh: high,
      header: singleObjectHeader(fingerprint),
      label:
        version === undefined
          ? `${fullName} (${origin}, fingerprint ${fingerprintHex(low, high)})`
          : `${fullName} v${version}`,
    };
    this.byFingerprint.set(low, [...(this.byFingerprint.get(low) ?? []), writer]);
    return writer;
  }
}

function canonicalForm(schema: unknown, origin: string): string {
  try {
    return parsingCanonicalForm(schema);
  } catch (error) {
    throw new InvalidSchemaError(`${origin} is not an Avro schema: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
