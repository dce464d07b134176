import avro from 'avsc';
import { avroType } from './avro-type.js';

// BACKWARD compatibility as a schema registry means it: a reader on the newer schema can read
// every record written with the older one. The rules are Avro's schema resolution rules (the
// specification's "Schema Resolution" section), applied to the whole schema up front so that
// every problem is reported with its field path instead of surfacing on the first record.

export interface CompatibilityResult {
  readonly compatible: boolean;
  /** One plain sentence per problem, each starting with the field path. Empty when compatible. */
  readonly problems: readonly string[];
}

/**
 * Whether data written with `older` can be read with `newer`. Both are parsed Avro schemas (JSON
 * values) or avsc types. Logical types are compared through their underlying types, as Avro
 * resolution does.
 */
export function checkBackwardCompatible(older: unknown, newer: unknown): CompatibilityResult {
  const writer = avro.Type.isType(older) ? (older as avro.Type) : avroType(older);
  const reader = avro.Type.isType(newer) ? (newer as avro.Type) : avroType(newer);
  const problems: string[] = [];
  compare(reader, writer, reader.name ?? reader.typeName, { problems, seen: new Set() });
  if (problems.length === 0) {
    // Our rules and avsc's must agree: the codec reads with avsc.
    try {
      reader.createResolver(writer);
    } catch (error) {
      problems.push(`${reader.name ?? reader.typeName}: avsc cannot resolve it: ${(error as Error).message}`);
    }
  }
  return { compatible: problems.length === 0, problems };
}

/** What a comparison has found so far, passed down the schema. */
interface Comparison {
  readonly problems: string[];
  /** Pairs of record names already compared (`reader<-writer`): recursive records end there. */
  readonly seen: Set<string>;
}

const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

function compare(reader: avro.Type, writer: avro.Type, path: string, found: Comparison): void {
  reader = underlying(reader);
  writer = underlying(writer);
  if (isUnion(writer)) {
    compareWriterUnion(reader, writer, path, found);
  } else if (isUnion(reader)) {
    compareReaderUnion(reader, writer, path, found);
  } else if (!matches(reader, writer)) {
    found.problems.push(
      `${path}: type changed from ${describe(writer)} to ${describe(reader)}, which Avro cannot convert`,
    );
  } else {
    compareMatched(reader, writer, path, found);
  }
}

/** Every branch the writer may have used must be readable. */
function compareWriterUnion(reader: avro.Type, writer: avro.Type, path: string, found: Comparison): void {
  for (const branch of branchesOf(writer)) {
    if (!isUnion(reader) && !matches(reader, underlying(branch))) {
      found.problems.push(
        `${path}: older data may hold ${describe(branch)}, which the newer type (${describe(reader)}) cannot hold`,
      );
    } else {
      compare(reader, branch, path, found);
    }
  }
}

/** A writer's non-union type is read through the first branch of the reader's union that matches. */
function compareReaderUnion(reader: avro.Type, writer: avro.Type, path: string, found: Comparison): void {
  const branch = branchesOf(reader).find((candidate) => matches(underlying(candidate), writer));
  if (branch === undefined) {
    found.problems.push(
      `${path}: older data may hold ${describe(writer)}, which the newer union (${describe(reader)}) has no branch for`,
    );
    return;
  }
  compare(branch, writer, path, found);
}

/** Two types of the same kind (or a promotion): what inside them must still agree. */
function compareMatched(reader: avro.Type, writer: avro.Type, path: string, found: Comparison): void {
  switch (reader.typeName) {
    case 'record':
    case 'error':
      compareRecords(reader as avro.types.RecordType, writer as avro.types.RecordType, path, found);
      return;
    case 'enum':
      compareEnums(reader as avro.types.EnumType, writer as avro.types.EnumType, path, found);
      return;
    case 'fixed':
      if ((reader as avro.types.FixedType).size !== (writer as avro.types.FixedType).size) {
        found.problems.push(
          `${path}: fixed ${reader.name} changed size from ${(writer as avro.types.FixedType).size} to ${(reader as avro.types.FixedType).size}`,
        );
      }
      return;
    case 'array':
      compare(
        (reader as avro.types.ArrayType).itemsType,
        (writer as avro.types.ArrayType).itemsType,
        `${path}[]`,
        found,
      );
      return;
    case 'map':
      compare(
        (reader as avro.types.MapType).valuesType as avro.Type,
        (writer as avro.types.MapType).valuesType as avro.Type,
        `${path}{}`,
        found,
      );
      return;
    default:
      return; // Primitives: `matches` already checked them.
  }
}

function compareEnums(
  reader: avro.types.EnumType,
  writer: avro.types.EnumType,
  path: string,
  found: Comparison,
): void {
  const removed = writer.symbols.filter((s) => !reader.symbols.includes(s));
  if (removed.length > 0 && enumDefault(reader) === undefined) {
    found.problems.push(
      `${path}: enum ${reader.name} no longer has ${removed.join(', ')} and has no default symbol, ` +
        'so older data holding them cannot be read',
    );
  }
}

function compareRecords(
  reader: avro.types.RecordType,
  writer: avro.types.RecordType,
  path: string,
  found: Comparison,
): void {
  // Recursive records: each pair of record names is compared once.
  const key = `${reader.name}<-${writer.name}`;
  if (found.seen.has(key)) return;
  found.seen.add(key);
  for (const field of reader.fields) {
    const names = [field.name, ...field.aliases];
    const written = writer.fields.find((candidate) => names.includes(candidate.name));
    if (written !== undefined) {
      compare(field.type, written.type, `${path}.${field.name}`, found);
    } else if (field.defaultValue() === undefined) {
      found.problems.push(
        `${path}.${field.name}: field added without a default, so older data, which lacks it, cannot be read`,
      );
    }
  }
  // Fields only the writer has are skipped by readers: removing a field is backward compatible.
}

/** The specification's "match" between a reader and a writer type that are not unions. */
function matches(reader: avro.Type, writer: avro.Type): boolean {
  const r = reader.typeName === 'error' ? 'record' : reader.typeName;
  const w = writer.typeName === 'error' ? 'record' : writer.typeName;
  if (r === w) {
    return r === 'record' || r === 'enum' || r === 'fixed' ? sameName(reader, writer) : true;
  }
  return PROMOTIONS[w]?.includes(r) ?? false;
}

function sameName(reader: avro.Type, writer: avro.Type): boolean {
  return reader.name === writer.name || (reader.aliases ?? []).includes(writer.name ?? '');
}

function underlying(type: avro.Type): avro.Type {
  return avro.Type.isType(type, 'logical') ? (type as avro.types.LogicalType).underlyingType : type;
}

function isUnion(type: avro.Type): boolean {
  return avro.Type.isType(type, 'union');
}

function branchesOf(type: avro.Type): readonly avro.Type[] {
  return (type as avro.types.UnwrappedUnionType).types;
}

function enumDefault(type: avro.types.EnumType): string | undefined {
  return (type as unknown as { default?: string }).default;
}

function describe(type: avro.Type): string {
  type = underlying(type);
  if (isUnion(type)) return branchesOf(type).map(describe).join(' | ');
  return type.name === undefined ? type.typeName : `${type.typeName} ${type.name}`;
}
