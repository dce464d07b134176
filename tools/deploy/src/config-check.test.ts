import { describe, expect, it } from 'vitest';
import { checkConfiguration } from './config-check.js';

const deployment = (variables: Record<string, { value?: string; secret?: string }>) => ({
  object: 'Deployment genstream-metadata-writer',
  container: 'metadata-writer',
  variables,
});

describe('checkConfiguration', () => {
  it('takes NAME_FILE for a declared NAME, required ones included', () => {
    const check = checkConfiguration([
      deployment({
        KAFKA_BROKERS: { value: 'kafka:9092' },
        DATABASE_URL_FILE: { value: '/run/secrets/database-url' },
      }),
    ]);
    expect(check.problems).toEqual([]);
  });

  it('refuses an undeclared variable, a bad value and a missing required one', () => {
    const check = checkConfiguration([
      deployment({ KAFKA_BROKERS: { value: 'kafka' }, MONGO_URL_FILE: { value: '/x' } }),
    ]);
    expect(check.problems).toEqual([
      'Deployment genstream-metadata-writer, container metadata-writer: KAFKA_BROKERS="kafka": expected host:port pairs, got "kafka"',
      "Deployment genstream-metadata-writer, container metadata-writer: MONGO_URL_FILE is not declared by metadata-writer's config.ts",
      "Deployment genstream-metadata-writer, container metadata-writer: DATABASE_URL is required by metadata-writer's config.ts but not given",
    ]);
  });
});
