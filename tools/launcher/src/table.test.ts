import { describe, expect, it } from 'vitest';
import { formatServiceTable } from './table.js';

describe('formatServiceTable', () => {
  it('lines up one row per service under a header', () => {
    const table = formatServiceTable([
      { name: 'generation', url: 'http://127.0.0.1:8180', health: '200 ok', pid: 12, readyMs: 2_340 },
      { name: 'cache-updater', url: 'http://127.0.0.1:8183', health: '200 ok', pid: 1234 },
    ]);
    expect(table.split('\n')).toEqual([
      'service        URL                    health  pid   ready in',
      'generation     http://127.0.0.1:8180  200 ok  12    2.3 s',
      'cache-updater  http://127.0.0.1:8183  200 ok  1234  -',
    ]);
  });
});
