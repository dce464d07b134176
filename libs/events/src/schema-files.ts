import { InvalidSchemaError } from '@genstream/errors';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type avro from 'avsc';
import { avroType } from './avro-type.js';

// Reading `.avsc` files, for the build-time scripts and tests; the runtime uses the schemas
// embedded in the generated file and never touches the file system.

/** A parsed, valid record schema. `label` names where it came from, for messages. */
export interface ParsedSchema {
  readonly label: string;
  readonly schema: Record<string, unknown>;
  readonly type: avro.Type;
  /** The record's name without namespace, e.g. `GenerationRequested`. */
  readonly name: string;
  readonly namespace: string | undefined;
}

/** A schema file of `schemas/`: `<Name>.v<version>.avsc`. */
export interface SchemaFile extends ParsedSchema {
  readonly fileName: string;
  readonly version: number;
}

export const SCHEMA_NAMESPACE = 'genstream';
const FILE_NAME = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.avsc$/;

/** Parses schema text that must hold one named Avro record; throws InvalidSchemaError naming the fault. */
export function parseSchemaText(label: string, text: string): ParsedSchema {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new InvalidSchemaError(`${label} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new InvalidSchemaError(`${label} must hold a JSON object (an Avro record schema)`);
  }
  const record = schema as Record<string, unknown>;
  if (record.type !== 'record') {
    throw new InvalidSchemaError(`${label} must define a record, not ${JSON.stringify(record.type)}`);
  }
  if (typeof record.name !== 'string' || record.name === '') {
    throw new InvalidSchemaError(`${label} defines a record without a name`);
  }
  let type: avro.Type;
  try {
    type = avroType(record);
  } catch (error) {
    throw new InvalidSchemaError(`${label} is not a valid Avro schema: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const fullName = type.name ?? record.name;
  const dot = fullName.lastIndexOf('.');
  return {
    label,
    schema: record,
    type,
    name: fullName.slice(dot + 1),
    namespace: dot < 0 ? undefined : fullName.slice(0, dot),
  };
}

/** Parses one file of `schemas/`, checking its name, version and namespace against the file name. */
export function parseSchemaFile(fileName: string, text: string): SchemaFile {
  const match = FILE_NAME.exec(fileName);
  if (!match) {
    throw new InvalidSchemaError(
      `${fileName}: schema files are named <RecordName>.v<version>.avsc, e.g. GenerationRequested.v1.avsc`,
    );
  }
  const parsed = parseSchemaText(fileName, text);
  if (parsed.name !== match[1]) {
    throw new InvalidSchemaError(`${fileName} defines record ${parsed.name}; its file name says ${match[1]}`);
  }
  if (parsed.namespace !== SCHEMA_NAMESPACE) {
    throw new InvalidSchemaError(
      `${fileName}: namespace must be "${SCHEMA_NAMESPACE}", not ${JSON.stringify(parsed.namespace ?? null)}`,
    );
  }
  return { ...parsed, fileName, version: Number(match[2]) };
}

/** Every `*.avsc` file of a directory, parsed; throws on the first invalid one. Sorted by file name. */
export async function readSchemaDirectory(directory: string): Promise<SchemaFile[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.avsc')).sort();
  return Promise.all(
    names.map(async (name) => parseSchemaFile(name, await readFile(path.join(directory, name), 'utf8'))),
  );
}

/**
 * Groups schema files by record name, versions in ascending order, names sorted. Throws when a
 * name's versions do not run 1, 2, 3... without a gap.
 */
export function groupVersions(files: readonly SchemaFile[]): Map<string, SchemaFile[]> {
  const byName = new Map<string, SchemaFile[]>();
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version)) {
    byName.set(file.name, [...(byName.get(file.name) ?? []), file]);
  }
  for (const [name, versions] of byName) {
    versions.forEach((file, index) => {
      if (file.version !== index + 1) {
        const found = versions.map((v) => v.version).join(', ');
        throw new InvalidSchemaError(
          `${name} has versions ${found}: versions must run 1, 2, 3... (version ${index + 1} is missing)`,
        );
      }
    });
  }
  return byName;
}

/** Paths of the record fields, records and enums in a schema that have no `doc`. */
export function undocumented(schema: unknown, where = ''): string[] {
  if (Array.isArray(schema)) {
    return schema.flatMap((branch) => undocumented(branch, where));
  }
  if (schema === null || typeof schema !== 'object') {
    return [];
  }
  const node = schema as Record<string, unknown>;
  const missing: string[] = [];
  if ((node.type === 'record' || node.type === 'enum') && typeof node.doc !== 'string') {
    missing.push(
      where === '' ? `${node.type} ${String(node.name)}` : `${where} (${node.type} ${String(node.name)})`,
    );
  }
  if (node.type === 'record' && Array.isArray(node.fields)) {
    for (const field of node.fields as Record<string, unknown>[]) {
      const fieldPath = where ? `${where}.${String(field.name)}` : String(field.name);
      if (typeof field.doc !== 'string' || field.doc.trim() === '') {
        missing.push(fieldPath);
      }
      missing.push(...undocumented(field.type, fieldPath));
    }
  }
  if (node.type === 'array') missing.push(...undocumented(node.items, `${where}[]`));
  if (node.type === 'map') missing.push(...undocumented(node.values, `${where}{}`));
  return missing;
}
