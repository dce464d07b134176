import { ConfigError } from '@genstream/errors';
import { loadConfig } from '@genstream/config';
import { describe, expect, it } from 'vitest';
import { consumerGroupId, topicsFor } from '../kafka/kafka-runtime-options.js';
import { commonConfig } from './common-config.js';

describe('commonConfig', () => {
  it("defaults everything but the brokers, with the service's own port", () => {
    expect(loadConfig(commonConfig('cache-updater'), { KAFKA_BROKERS: '127.0.0.1:39092' })).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:39092'],
      SCHEMA_REGISTRY_URL: undefined,
      PORT: 8183,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      KAFKA_PARTITIONS: 6,
      KAFKA_REPLICATION_FACTOR: undefined,
      KAFKA_SESSION_TIMEOUT_MS: 10_000,
      KAFKA_RETRY_MAX_MS: 5_000,
      TOPIC_PREFIX: '',
    });
    expect(loadConfig(commonConfig('generation'), { KAFKA_BROKERS: 'k:1' }).PORT).toBe(8180);
  });

  it('lists every bad variable', () => {
    expect(() =>
      loadConfig(commonConfig('generation'), {
        SCHEMA_REGISTRY_URL: 'ftp://x',
        LOG_LEVEL: 'trace',
        PORT: '70000',
      }),
    ).toThrow(ConfigError);
  });
});

describe('topics and groups', () => {
  it('are the contract names without a prefix, and prefixed with one', () => {
    expect(topicsFor()).toEqual({
      GenerationRequested: 'genstream.generation.requested',
      ContentGenerated: 'genstream.content.generated',
      ContentIndexed: 'genstream.content.indexed',
      GenerationFailed: 'genstream.generation.failed',
    });
    expect(topicsFor('t_x.').ContentGenerated).toBe('t_x.genstream.content.generated');
    expect(consumerGroupId({ TOPIC_PREFIX: '' }, 'metadata-writer')).toBe('genstream.metadata-writer');
    expect(consumerGroupId({ TOPIC_PREFIX: 't_x.' }, 'metadata-writer')).toBe(
      't_x.genstream.metadata-writer',
    );
  });
});
