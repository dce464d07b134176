import { describe, expect, it } from 'vitest';
import { HealthChecks } from './health-checks.js';

describe('HealthChecks', () => {
  it('is healthy with no checks, and runs every check with its latency', async () => {
    const checks = new HealthChecks();
    expect(await checks.run()).toEqual({ healthy: true, checks: [] });
    checks.register({ name: 'postgres', check: async () => {} });
    checks.register({ name: 'redis', check: () => Promise.reject(new Error('ECONNREFUSED')) });
    const report = await checks.run();
    expect(report.healthy).toBe(false);
    expect(report.checks).toEqual([
      { name: 'postgres', ok: true, latencyMs: expect.any(Number) as unknown },
      { name: 'redis', ok: false, latencyMs: expect.any(Number) as unknown, error: 'ECONNREFUSED' },
    ]);
  });

  it('fails a check that does not answer in time', async () => {
    const checks = new HealthChecks({ timeoutMs: 50 });
    checks.register({ name: 'mongo', check: () => new Promise(() => {}) });
    const report = await checks.run();
    expect(report).toMatchObject({
      healthy: false,
      checks: [{ name: 'mongo', ok: false, error: 'no answer within 50 ms' }],
    });
  });

  it('refuses two checks of the same name', () => {
    const checks = new HealthChecks();
    checks.register({ name: 'redis', check: async () => {} });
    expect(() => checks.register({ name: 'redis', check: async () => {} })).toThrow(/already registered/);
  });
});
