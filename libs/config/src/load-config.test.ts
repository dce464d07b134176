import { ConfigError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { flag, hostPorts, integer, loadConfig, oneOf, text, url } from './index.js';

const schema = {
  KAFKA_BROKERS: hostPorts(),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  CACHE_TTL_SECONDS: integer({ min: 1, max: 86_400, fallback: 3600 }),
  LLM_PROVIDER: oneOf(['local', 'openai'], 'local'),
  LOG_PRETTY: flag(false),
  SERVICE_NAME: text('generation'),
};

describe('loadConfig', () => {
  it('parses what is set and falls back to defaults for the rest', () => {
    const config = loadConfig(schema, {
      KAFKA_BROKERS: '127.0.0.1:39092, 127.0.0.1:39093',
      DATABASE_URL: 'postgres://u@h:5432/db',
      LOG_PRETTY: 'yes',
    });
    expect(config).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:39092', '127.0.0.1:39093'],
      DATABASE_URL: 'postgres://u@h:5432/db',
      CACHE_TTL_SECONDS: 3600,
      LLM_PROVIDER: 'local',
      LOG_PRETTY: true,
      SERVICE_NAME: 'generation',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every bad or missing variable in one error', () => {
    const attempt = () =>
      loadConfig(schema, {
        KAFKA_BROKERS: 'localhost',
        CACHE_TTL_SECONDS: '0',
        LLM_PROVIDER: 'gpt',
        LOG_PRETTY: 'maybe',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).details.problems).toEqual([
        'KAFKA_BROKERS="localhost": expected host:port pairs, got "localhost"',
        'DATABASE_URL is required (a postgres: or postgresql: URL)',
        'CACHE_TTL_SECONDS="0": expected an integer from 1 to 86400',
        'LLM_PROVIDER="gpt": expected one of local, openai',
        'LOG_PRETTY="maybe": expected true or false',
      ]);
    }
  });

  it('rejects URLs of the wrong scheme and non-integers', () => {
    expect(() => loadConfig({ U: url(['redis:']) }, { U: 'http://x' })).toThrow(
      /U="http:\/\/x": expected a redis: URL/,
    );
    expect(() => loadConfig({ N: integer() }, { N: '1.5' })).toThrow(/N="1.5": expected an integer/);
  });
});
