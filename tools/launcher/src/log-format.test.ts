import { describe, expect, it } from 'vitest';
import { compactLogLine } from './log-format.js';

describe('compactLogLine', () => {
  it('shows a pino line as level, message and request id', () => {
    const line = JSON.stringify({
      level: 30,
      time: 1763717400000,
      pid: 7,
      msg: 'generated',
      requestId: '3f2a',
      latencyMs: 12,
    });
    expect(compactLogLine(line)).toBe('INFO  generated requestId=3f2a');
  });

  it('takes string levels and `message`, and adds the error of a warning', () => {
    const line = JSON.stringify({
      level: 'warn',
      message: 'retrying batch',
      err: { message: 'ECONNREFUSED' },
    });
    expect(compactLogLine(line)).toBe('WARN  retrying batch (ECONNREFUSED)');
  });

  it('leaves lines that are not JSON objects alone', () => {
    expect(compactLogLine('generation listening on http://127.0.0.1:8180')).toBe(
      'generation listening on http://127.0.0.1:8180',
    );
    expect(compactLogLine('{not json')).toBe('{not json');
    expect(compactLogLine('[1,2]')).toBe('[1,2]');
  });
});

describe('compactLogLine with the services logger', () => {
  it('shows the code and the error without its stack frames', () => {
    const line = JSON.stringify({
      time: '2025-11-21T10:00:00.000Z',
      level: 'error',
      message: 'cannot start',
      service: 'generation',
      code: 'CONFIG_INVALID',
      error:
        'ConfigError: invalid configuration:\n  - REDIS_URL is missing\n    at loadConfig (config.ts:1:1)',
    });
    expect(compactLogLine(line)).toBe(
      'ERROR cannot start [CONFIG_INVALID] (ConfigError: invalid configuration: - REDIS_URL is missing)',
    );
  });
});
