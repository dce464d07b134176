import { ConfigError } from '@genstream/errors';
import type { Field } from './fields.js';

export type ConfigSchema = Record<string, Field<unknown>>;
export type ConfigOf<S extends ConfigSchema> = {
  readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never;
};

/**
 * Reads every variable the schema names, once. Fails with one ConfigError that lists every bad or
 * missing variable, so a deploy with three mistakes is fixed in one round, not three.
 */
export function loadConfig<S extends ConfigSchema>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const raw = env[name]?.trim();
    if (!raw) {
      if (spec.fallback) values[name] = spec.fallback();
      else problems.push(`${name} is required (${spec.describe})`);
      continue;
    }
    try {
      values[name] = spec.parse(raw);
    } catch (error) {
      problems.push(`${name}=${JSON.stringify(raw)}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return Object.freeze(values) as ConfigOf<S>;
}
