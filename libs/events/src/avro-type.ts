import avro from 'avsc';

// Every avsc type in genstream is built here, with the same options, so that the codec, the
// compatibility check and the code generator agree on what a schema means.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `{"type": "string", "logicalType": "uuid"}`: still a plain string in JavaScript, but encode
 * rejects strings that are not UUIDs (a Java consumer or a PostgreSQL `uuid` column would fail on
 * them later, far from the producer). avsc's decode accepts any string: the codec checks decoded
 * events against the type afterwards, which refuses a non-UUID there too.
 */
class UuidType extends avro.types.LogicalType {
  constructor(schema: avro.Schema, options?: unknown) {
    super(schema, options);
    if (this.underlyingType.typeName !== 'string') {
      throw new Error(`logical type uuid needs a string, not ${this.underlyingType.typeName}`);
    }
  }

  protected override _fromValue(value: string): string {
    return value;
  }

  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }

  protected override _resolve(writer: avro.Type): ((value: string) => string) | undefined {
    const underlying = avro.Type.isType(writer, 'logical')
      ? (writer as avro.types.LogicalType).underlyingType
      : writer;
    return underlying.typeName === 'string' ? (value) => value : undefined;
  }
}

export interface AvroTypeOptions {
  /**
   * Our own schemas must have unions avsc can represent as plain values (`null | string`), or
   * the generated types would lie; schemas fetched from a registry may be anything a writer used.
   */
  readonly anyUnions?: boolean;
}

/** An avsc type for a schema; throws avsc's message when the schema is not valid Avro. */
export function avroType(schema: unknown, options: AvroTypeOptions = {}): avro.Type {
  // avsc mutates the options it gets (registry, namespace): a fresh object per call.
  return avro.Type.forSchema(schema as avro.Schema, {
    logicalTypes: { uuid: UuidType },
    wrapUnions: options.anyUnions ? 'auto' : 'never',
    noAnonymousTypes: true,
    omitRecordMethods: true,
  });
}

/** avsc's resolver (reads one writer schema's data into a reader type); avsc does not export the class. */
export type Resolver = ReturnType<avro.Type['createResolver']>;
