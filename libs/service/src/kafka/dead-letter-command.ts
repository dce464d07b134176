import { parseArgs } from 'node:util';
import { ConfigError } from '@genstream/errors';
import { parseDeadLetterId, type DeadLetterFilter, type DeadLetterId } from '@genstream/kafka';

// The arguments of `npm run dlq`: a subcommand, dead-letter ids and filters.

export const DLQ_USAGE = `usage: npm run dlq -- <list|show|redrive> [<dlq topic>:<partition>:<offset> ...] [filters]
filters (each may repeat; a letter must match every kind given):
  --topic T      original topic (or its .dlq topic), with or without TOPIC_PREFIX
  --code C       reason code, e.g. EVENT_UNKNOWN_SCHEMA, EVENT_INVALID, INTERNAL
  --service S    the service that failed on the record, e.g. generation
  --since TIME   failed at or after TIME: ISO 8601 (2026-12-03T10:00:00Z) or ago (90s, 30m, 2h, 7d)
  --until TIME   failed before TIME
list:    --limit N (default 200) rows, newest last
show:    the reason, every header and the original record (key, headers, value in hex, decoded Avro)
redrive: --dry-run says what it would do; --all is needed to redrive with neither ids nor filters`;

export const DLQ_COMMANDS = ['list', 'show', 'redrive'] as const;
export type DlqCommand = (typeof DLQ_COMMANDS)[number];

export interface DlqArguments {
  readonly command: DlqCommand;
  readonly filter: DeadLetterFilter;
  readonly dryRun: boolean;
  readonly all: boolean;
  readonly limit: number;
}

/** Reads the arguments; ConfigError (with the problem) on anything not understood. */
export function parseDlqArguments(args: readonly string[], prefix = '', now = new Date()): DlqArguments {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      topic: { type: 'string', multiple: true },
      code: { type: 'string', multiple: true },
      service: { type: 'string', multiple: true },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (!(DLQ_COMMANDS as readonly string[]).includes(command ?? '')) {
    throw new ConfigError(command === undefined ? 'no command given' : `unknown command "${command}"`);
  }
  const ids: DeadLetterId[] = rest.map((text) => {
    try {
      return parseDeadLetterId(text);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  });
  const topics = (values.topic ?? []).flatMap((topic) =>
    prefix !== '' && !topic.startsWith(prefix) ? [topic, `${prefix}${topic}`] : [topic],
  );
  const filter: DeadLetterFilter = {
    ...(ids.length > 0 ? { ids } : {}),
    ...(topics.length > 0 ? { topics } : {}),
    ...(values.code ? { codes: values.code.map((code) => code.toUpperCase()) } : {}),
    ...(values.service ? { services: values.service } : {}),
    ...(values.since === undefined ? {} : { since: parseTime(values.since, now, '--since') }),
    ...(values.until === undefined ? {} : { until: parseTime(values.until, now, '--until') }),
  };
  const limit = values.limit === undefined ? 200 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(`--limit must be a positive integer`);
  return { command: command as DlqCommand, filter, dryRun: values['dry-run'], all: values.all, limit };
}

/** True when the filter chooses something narrower than every dead letter there is. */
export function isNarrowed(filter: DeadLetterFilter): boolean {
  return Object.keys(filter).length > 0;
}

const UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `30m`, `2h`, `7d` before `now`, or an ISO 8601 time. */
export function parseTime(text: string, now: Date, option = 'time'): Date {
  const ago = /^(\d+)([smhd])$/.exec(text.trim());
  if (ago) return new Date(now.getTime() - Number(ago[1]) * UNITS_MS[ago[2] as keyof typeof UNITS_MS]);
  const time = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) {
    throw new ConfigError(`${option} "${text}" is neither an ISO 8601 time nor a duration ago like 2h`);
  }
  return time;
}
