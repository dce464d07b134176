import { readFileSync } from 'node:fs';
import { ConfigError } from '@genstream/errors';
import type { Field } from './fields.js';

export type ConfigSchema = Record<string, Field<unknown>>;
export type ConfigOf<S extends ConfigSchema> = {
  readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never;
};

/** `DATABASE_URL_FILE=/run/secrets/db` gives DATABASE_URL the file's content (Docker and Kubernetes secrets). */
export const FILE_SUFFIX = '_FILE';

/**
 * Reads every variable the schema names, once, each from the environment or from the file its
 * `<NAME>_FILE` names. Fails with one ConfigError that lists every bad or missing variable, so a
 * deploy with three mistakes is fixed in one round, not three. A secret field's value is never
 * quoted in it.
 */
export function loadConfig<S extends ConfigSchema>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const raw = rawValueOf(name, env, problems);
    if (raw === null) continue;
    if (!raw) {
      if (spec.fallback) values[name] = spec.fallback();
      else problems.push(`${name} is required (${spec.describe})`);
      continue;
    }
    try {
      values[name] = spec.parse(raw);
    } catch (error) {
      const shown = spec.secret ? `${name} (value hidden)` : `${name}=${JSON.stringify(raw)}`;
      problems.push(`${shown}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return Object.freeze(values) as ConfigOf<S>;
}

/** The trimmed value, '' when unset, null when it could not be read (the problem is noted). */
function rawValueOf(name: string, env: NodeJS.ProcessEnv, problems: string[]): string | null {
  const direct = env[name]?.trim();
  const file = env[`${name}${FILE_SUFFIX}`]?.trim();
  if (!file) return direct ?? '';
  if (direct) {
    problems.push(`${name} and ${name}${FILE_SUFFIX} are both set: set one of them`);
    return null;
  }
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    problems.push(`${name}${FILE_SUFFIX}=${JSON.stringify(file)}: cannot be read (${code})`);
    return null;
  }
}
