import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '../config.js';
import { jaegerConfig, jaegerUiUrl, jaeger } from './jaeger.js';

describe("the stack's Jaeger", () => {
  it('listens on loopback only, on the ports of the stack (shifted with it)', () => {
    const config = loadStackConfig({ GENSTREAM_STACK_PORT_OFFSET: '100' });
    const yaml = jaegerConfig(config);
    const endpoints = [...yaml.matchAll(/endpoint: (\S+)/g)].map((match) => match[1]);
    expect(endpoints.sort()).toEqual([
      '127.0.0.1:34417',
      '127.0.0.1:34418',
      '127.0.0.1:36785',
      '127.0.0.1:36786',
    ]);
    expect(yaml).toMatch(/receivers: \[otlp\]/);
    expect(jaeger.localUrl(config)).toBe('http://127.0.0.1:34418');
    expect(jaegerUiUrl(config)).toBe('http://127.0.0.1:36786');
  });
});
