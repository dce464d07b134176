import { buildDeadLetter, parseDeadLetter } from '@genstream/kafka';
import { InvalidEventError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { isNarrowed, parseDlqArguments, parseTime } from './dead-letter-command.js';
import { formatDeadLetter, formatDeadLetterTable, formatRedriveItem } from './dead-letter-format.js';

const NOW = new Date('2026-12-03T12:00:00.000Z');

describe('npm run dlq arguments', () => {
  it('reads a command, ids and every filter', () => {
    const args = parseDlqArguments(
      [
        'redrive',
        'genstream.generation.requested.dlq:2:17',
        '--topic',
        'genstream.generation.requested',
        '--code',
        'event_unknown_schema',
        '--code',
        'EVENT_INVALID',
        '--service',
        'generation',
        '--since',
        '2h',
        '--until',
        '2026-12-03T11:30:00Z',
        '--dry-run',
      ],
      '',
      NOW,
    );
    expect(args).toEqual({
      command: 'redrive',
      dryRun: true,
      all: false,
      limit: 200,
      filter: {
        ids: [{ topic: 'genstream.generation.requested.dlq', partition: 2, offset: '17' }],
        topics: ['genstream.generation.requested'],
        codes: ['EVENT_UNKNOWN_SCHEMA', 'EVENT_INVALID'],
        services: ['generation'],
        since: new Date('2026-12-03T10:00:00.000Z'),
        until: new Date('2026-12-03T11:30:00.000Z'),
      },
    });
    expect(isNarrowed(args.filter)).toBe(true);
    expect(isNarrowed(parseDlqArguments(['redrive', '--all']).filter)).toBe(false);
  });

  it('accepts topics with or without TOPIC_PREFIX', () => {
    expect(
      parseDlqArguments(['list', '--topic', 'genstream.content.generated'], 't1.').filter.topics,
    ).toEqual(['genstream.content.generated', 't1.genstream.content.generated']);
    expect(parseDlqArguments(['list', '--topic', 't1.x'], 't1.').filter.topics).toEqual(['t1.x']);
  });

  it('refuses what it does not understand', () => {
    expect(() => parseDlqArguments([])).toThrow('no command given');
    expect(() => parseDlqArguments(['purge'])).toThrow('unknown command "purge"');
    expect(() => parseDlqArguments(['show', 'topic:x:1'])).toThrow('is no dead letter id');
    expect(() => parseDlqArguments(['list', '--since', 'yesterday'])).toThrow('neither an ISO 8601 time');
    expect(() => parseDlqArguments(['list', '--limit', '0'])).toThrow('--limit');
    expect(() => parseDlqArguments(['list', '--colour'])).toThrow();
  });

  it('reads durations ago and ISO times', () => {
    expect(parseTime('90s', NOW).toISOString()).toBe('2026-12-03T11:58:30.000Z');
    expect(parseTime('30m', NOW).toISOString()).toBe('2026-12-03T11:30:00.000Z');
    expect(parseTime('7d', NOW).toISOString()).toBe('2026-11-26T12:00:00.000Z');
    expect(parseTime('2026-12-01', NOW).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('npm run dlq output', () => {
  const letter = parseDeadLetter(
    buildDeadLetter(
      {
        topic: 'genstream.generation.requested',
        partition: 3,
        offset: '41',
        timestamp: String(NOW.getTime() - 1000),
        key: Buffer.from('req-1'),
        value: Buffer.from([0xc3, 0x01, 0xff, 0x00]),
        headers: { traceparent: '00-abc-def-01' },
      },
      {
        error: new InvalidEventError('field prompt\nis empty', { details: { paths: ['prompt'] } }),
        service: 'generation',
        failedAt: NOW,
      },
    ) as Parameters<typeof parseDeadLetter>[0],
  );
  const stored = { id: { topic: 'genstream.generation.requested.dlq', partition: 0, offset: '7' }, letter };

  it('lists one row per dead letter', () => {
    expect(formatDeadLetterTable([stored]).split('\n')).toEqual([
      'dead letter                             failed at                 original                             service     code           reason',
      'genstream.generation.requested.dlq:0:7  2026-12-03T12:00:00.000Z  genstream.generation.requested:3:41  generation  EVENT_INVALID  field prompt is empty',
    ]);
  });

  it('shows the reason, the headers and the original record', () => {
    const text = formatDeadLetter(stored, { problem: 'unknown writer schema' });
    expect(text).toContain('code         EVENT_INVALID');
    expect(text).toContain('details      {"paths":["prompt"]}');
    expect(text).toContain(
      'original     genstream.generation.requested:3:41 (written 2026-12-03T11:59:59.000Z)',
    );
    expect(text).toContain('key          "req-1"');
    expect(text).toContain('  traceparent: "00-abc-def-01"');
    expect(text).toContain('value        4 bytes\n  0000  c301ff00');
    expect(text).toContain('decoded      no: unknown writer schema');
    expect(formatDeadLetter(stored, { json: { prompt: '' } })).toContain('decoded      {\n');
  });

  it('says what a redrive did with each original record', () => {
    const unit = {
      original: 'genstream.generation.requested:3:41',
      topic: letter.originalTopic,
      letters: [stored],
    };
    expect(formatRedriveItem({ ...unit, action: 'would publish' })).toBe(
      'genstream.generation.requested:3:41  would publish  <- genstream.generation.requested.dlq:0:7',
    );
    expect(
      formatRedriveItem({
        ...unit,
        action: 'already redriven',
        redrivenAs: 'genstream.generation.requested:1:99',
      }),
    ).toContain('already redriven (as genstream.generation.requested:1:99)');
  });
});
