import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, ENV_VAR, SERVER_NAMES, isServerName, loadStackConfig, paths } from './config.js';

describe('loadStackConfig', () => {
  it('uses loopback and the default ports when nothing is set', () => {
    const config = loadStackConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.ports).toEqual({
      kafka: 39092,
      kafkaController: 39093,
      postgres: 35432,
      mongo: 37017,
      redis: 36379,
      registry: 38081,
      jaeger: 34318,
      jaegerOtlpGrpc: 34317,
      jaegerUi: 36686,
      jaegerUiGrpc: 36685,
    });
    expect(config.external).toEqual({});
  });

  it('names one variable per server, the schema registry and Jaeger included', () => {
    expect(SERVER_NAMES.map((name) => ENV_VAR[name])).toEqual([
      'KAFKA_BROKERS',
      'DATABASE_URL',
      'MONGO_URL',
      'REDIS_URL',
      'SCHEMA_REGISTRY_URL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    ]);
    expect(isServerName('registry')).toBe(true);
    expect(isServerName('jaeger')).toBe(true);
    expect(isServerName('zookeeper')).toBe(false);
  });

  it('takes servers named by the environment as external, ignoring blank values', () => {
    const config = loadStackConfig({
      KAFKA_BROKERS: 'broker:9092',
      REDIS_URL: '  ',
      DATABASE_URL: 'postgres://db/x',
      SCHEMA_REGISTRY_URL: 'http://registry:8081',
    });
    expect(config.external).toEqual({
      kafka: 'broker:9092',
      postgres: 'postgres://db/x',
      registry: 'http://registry:8081',
    });
  });

  it('shifts every port by GENSTREAM_STACK_PORT_OFFSET and rejects a bad offset', () => {
    const config = loadStackConfig({ GENSTREAM_STACK_PORT_OFFSET: '100' });
    expect(config.ports.kafka).toBe(DEFAULT_PORTS.kafka + 100);
    expect(config.ports.redis).toBe(DEFAULT_PORTS.redis + 100);
    expect(config.ports.registry).toBe(DEFAULT_PORTS.registry + 100);
    expect(() => loadStackConfig({ GENSTREAM_STACK_PORT_OFFSET: 'ten' })).toThrow(
      /GENSTREAM_STACK_PORT_OFFSET/,
    );
    expect(() => loadStackConfig({ GENSTREAM_STACK_PORT_OFFSET: '-1' })).toThrow(
      /GENSTREAM_STACK_PORT_OFFSET/,
    );
  });

  it('keeps each server in its own folders under GENSTREAM_STACK_DIR', () => {
    const config = loadStackConfig({ GENSTREAM_STACK_DIR: '/tmp/somewhere' });
    expect(paths(config, 'redis')).toEqual({
      home: '/tmp/somewhere/redis',
      data: '/tmp/somewhere/data/redis',
      log: '/tmp/somewhere/logs/redis.log',
      installLog: '/tmp/somewhere/logs/redis-install.log',
      pidFile: '/tmp/somewhere/run/redis.pid.json',
    });
  });
});
