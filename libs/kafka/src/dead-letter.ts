import { ContractViolationError, GenstreamError, errorCode } from '@genstream/errors';
import { DEAD_LETTER_HEADERS } from '@genstream/events';
import type { IHeaders, Message } from 'kafkajs';

/**
 * The dead-letter record format, written and read only here (documented in
 * schemas/DEAD_LETTERS.md). A dead letter is the original record, key, value and headers
 * byte for byte, so it can be replayed as it was, plus the DEAD_LETTER_HEADERS saying why and
 * from where (their names are part of the event contract, in @genstream/events).
 */
export { DEAD_LETTER_HEADERS };

const PREFIX = 'genstream.dlq.';
// Headers travel with every fetch of the record; keep them far below any broker size limit.
const MAX_REASON_CHARS = 1_000;
const MAX_DETAILS_CHARS = 4_000;

/** The record that could not be processed, as it was read from Kafka. */
export interface DeadLetterSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp?: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
}

export interface DeadLetterReason {
  readonly error: unknown;
  readonly service: string;
  readonly failedAt: Date;
}

export function buildDeadLetter(
  source: DeadLetterSource,
  { error, service, failedAt }: DeadLetterReason,
): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(source.headers ?? {})) {
    // A replayed dead letter that fails again gets this failure's reason, not a mix of both.
    if (value !== undefined && !name.startsWith(PREFIX)) headers[name] = value;
  }
  headers[DEAD_LETTER_HEADERS.reasonCode] = errorCode(error);
  headers[DEAD_LETTER_HEADERS.reason] = truncate(reasonOf(error), MAX_REASON_CHARS);
  headers[DEAD_LETTER_HEADERS.originalTopic] = source.topic;
  headers[DEAD_LETTER_HEADERS.originalPartition] = String(source.partition);
  headers[DEAD_LETTER_HEADERS.originalOffset] = source.offset;
  if (source.timestamp !== undefined) headers[DEAD_LETTER_HEADERS.originalTimestamp] = source.timestamp;
  headers[DEAD_LETTER_HEADERS.service] = service;
  headers[DEAD_LETTER_HEADERS.failedAt] = failedAt.toISOString();
  const details = detailsOf(error);
  if (details !== undefined) headers[DEAD_LETTER_HEADERS.errorDetails] = details;
  return { key: source.key, value: source.value, headers };
}

export interface DeadLetter {
  readonly reasonCode: string;
  readonly reason: string;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  /** Milliseconds since the epoch, as Kafka stamped the original record. */
  readonly originalTimestamp: string | undefined;
  readonly service: string;
  readonly failedAt: Date;
  readonly errorDetails: Readonly<Record<string, unknown>> | undefined;
  /** The original record, unchanged: what a replay sends back to `originalTopic`. */
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

/** Reads a record of a `.dlq` topic; throws ContractViolationError when it is not a dead letter. */
export function parseDeadLetter(record: {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}): DeadLetter {
  const all = record.headers ?? {};
  const required = (name: string): string => {
    const value = headerText(all[name]);
    if (value === undefined) throw new ContractViolationError(`not a dead letter: header ${name} is missing`);
    return value;
  };
  const optional = (name: string): string | undefined => headerText(all[name]);
  const reasonCode = required(DEAD_LETTER_HEADERS.reasonCode);
  const originalTopic = required(DEAD_LETTER_HEADERS.originalTopic);
  const partition = Number(required(DEAD_LETTER_HEADERS.originalPartition));
  const failedAt = new Date(required(DEAD_LETTER_HEADERS.failedAt));
  if (!Number.isInteger(partition) || Number.isNaN(failedAt.getTime())) {
    throw new ContractViolationError('not a dead letter: original partition or failure time unreadable');
  }
  const details = optional(DEAD_LETTER_HEADERS.errorDetails);
  const original: IHeaders = {};
  for (const [name, value] of Object.entries(all)) if (!name.startsWith(PREFIX)) original[name] = value;
  return {
    reasonCode,
    reason: optional(DEAD_LETTER_HEADERS.reason) ?? '',
    originalTopic,
    originalPartition: partition,
    originalOffset: required(DEAD_LETTER_HEADERS.originalOffset),
    originalTimestamp: optional(DEAD_LETTER_HEADERS.originalTimestamp),
    service: required(DEAD_LETTER_HEADERS.service),
    failedAt,
    errorDetails: details === undefined ? undefined : parseDetails(details),
    key: record.key,
    value: record.value,
    headers: original,
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof GenstreamError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Only the machine-readable details of our own errors: stack traces and causes stay in the logs. */
function detailsOf(error: unknown): string | undefined {
  if (!(error instanceof GenstreamError) || Object.keys(error.details).length === 0) return undefined;
  const json = JSON.stringify(error.details);
  return json.length <= MAX_DETAILS_CHARS ? json : JSON.stringify({ truncated: true, length: json.length });
}

function parseDetails(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  } catch {
    return { unparsed: json };
  }
}

function headerText(value: IHeaders[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
