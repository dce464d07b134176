import { describe, expect, it } from 'vitest';
import { formatMarkdownTable, formatStatusTable } from './table.js';

describe('formatStatusTable', () => {
  it('aligns one row per server with state, version, address, memory and data folder', () => {
    const table = formatStatusTable([
      {
        name: 'redis',
        product: 'Redis',
        state: 'running',
        pids: [42],
        version: '8.0.2',
        address: 'redis://127.0.0.1:36379',
        residentBytes: 14 * 2 ** 20,
        dataDir: `${process.cwd()}/.stack/data/redis`,
      },
      { name: 'kafka', product: 'Apache Kafka', state: 'stopped', address: '127.0.0.1:39092' },
    ]).split('\n');
    expect(table).toHaveLength(3);
    expect(table[0]).toMatch(/^server\s+state\s+version\s+address\s+memory\s+data folder$/);
    expect(table[1]).toMatch(
      /^redis \(Redis\)\s+running \(pid 42\)\s+8\.0\.2\s+redis:\/\/127\.0\.0\.1:36379\s+14 MiB\s+\.stack\/data\/redis$/,
    );
    expect(table[2]).toMatch(/^kafka \(Apache Kafka\)\s+stopped\s+-\s+127\.0\.0\.1:39092\s+-\s+-$/);
    expect(table[1]!.indexOf('8.0.2')).toBe(table[0]!.indexOf('version'));
  });
});

describe('formatMarkdownTable', () => {
  it('writes a header, its rule and one line per row, escaping pipes in cells', () => {
    expect(
      formatMarkdownTable([
        ['case', 'lost'],
        ['kill -9 | generation', '0'],
      ]),
    ).toBe('| case | lost |\n| --- | --- |\n| kill -9 \\| generation | 0 |');
  });
});
