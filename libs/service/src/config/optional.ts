import type { Field } from '@genstream/config';

/** The same field, but an unset or blank variable means undefined instead of an error. */
export function optional<T>(field: Field<T>): Field<T | undefined> {
  return { ...field, describe: `${field.describe}, optional`, fallback: () => undefined };
}
