import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { flag, hostPorts, integer, loadConfig, oneOf, secret, text, url } from './index.js';

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

  it('reads a variable from the file its _FILE names, trimmed', () => {
    const folder = mkdtempSync(join(tmpdir(), 'genstream-config-'));
    const path = join(folder, 'database-url');
    writeFileSync(path, 'postgres://writer:s3cret@h:5432/db\n');
    const config = loadConfig({ DATABASE_URL: url(['postgres:']) }, { DATABASE_URL_FILE: path });
    expect(config.DATABASE_URL).toBe('postgres://writer:s3cret@h:5432/db');
  });

  it('refuses a variable set both ways, and a file it cannot read', () => {
    const attempt = () =>
      loadConfig(
        { A: text(), B: text() },
        { A: 'x', A_FILE: '/etc/hostname', B_FILE: '/nonexistent/genstream-secret' },
      );
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).details.problems).toEqual([
        'A and A_FILE are both set: set one of them',
        'B_FILE="/nonexistent/genstream-secret": cannot be read (ENOENT)',
      ]);
    }
  });

  it('never quotes the value of a secret field in its error', () => {
    const attempt = () =>
      loadConfig({ DATABASE_URL: secret(url(['postgres:'])) }, { DATABASE_URL: 'mysql://root:hunter2@h/db' });
    expect(attempt).toThrow(/DATABASE_URL \(value hidden\): expected a postgres: URL/);
    expect(attempt).not.toThrow(/hunter2/);
  });
});
