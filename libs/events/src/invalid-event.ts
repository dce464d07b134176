import { InvalidEventError } from '@genstream/errors';
import type avro from 'avsc';

// Only runs once encode has failed: it walks the event a second time to name every bad field.

/** An InvalidEventError listing every field of `event` that does not match `type`, in plain words. */
export function invalidEventError(
  eventName: string,
  type: avro.Type,
  event: unknown,
  cause: unknown,
): InvalidEventError {
  const problems: { path: string; problem: string }[] = [];
  type.isValid(event, {
    errorHook: (path, value, fieldType) => {
      problems.push({
        path: path.join('.'),
        problem: `${describeExpected(fieldType)}, got ${describeValue(value)}`,
      });
    },
  });
  if (problems.length === 0) {
    // avsc refused to write a value its own check accepts; keep its reason.
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new InvalidEventError(`${eventName} cannot be encoded: ${reason}`, {
      cause,
      details: { event: eventName, paths: [] },
    });
  }
  const list = problems.map(({ path, problem }) => `${path === '' ? 'the event' : path} must be ${problem}`);
  return new InvalidEventError(
    `${eventName} is invalid (${problems.length} ${problems.length === 1 ? 'field' : 'fields'}): ${list.join('; ')}`,
    { cause, details: { event: eventName, paths: problems.map(({ path }) => path) } },
  );
}

function describeExpected(type: avro.Type): string {
  const typeName = type.typeName;
  if (typeName === 'logical:uuid') return 'a UUID string';
  if (typeName === 'enum') return `one of ${(type as avro.types.EnumType).symbols.join(', ')}`;
  if (typeName === 'record') return `a ${type.name ?? 'record'} object`;
  if (typeName === 'long') return 'a long (an integer within ±2^53)';
  if (typeName === 'int') return 'an int (a 32-bit integer)';
  if (typeName.startsWith('union')) {
    return (type as avro.types.UnwrappedUnionType).types.map(describeExpected).join(' or ');
  }
  if (typeName === 'null') return 'null';
  if (typeName === 'array' || typeName === 'map') return `a ${typeName}`;
  return `a ${typeName}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    // Short strings help (an enum typo); long ones may be prompts and have no place in logs.
    return value.length <= 40
      ? `the string ${JSON.stringify(value)}`
      : `a string of ${value.length} characters`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (Array.isArray(value)) return 'an array';
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}
