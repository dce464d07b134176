import type { ContentGenerated } from '@genstream/events';
import { ContractViolationError, StoreUnavailableError } from '@genstream/errors';

/**
 * What a failure from pg means for the batch:
 * - `unavailable`: the server or the connection failed, or the work lost a race (serialization,
 *   deadlock). The same batch will succeed later.
 * - `schema`: a table or column is missing, i.e. the migrations have not run yet (a deploy in
 *   progress). Also worth retrying: dead-lettering every record would be far worse.
 * - `data`: the server refused a value (SQLSTATE classes 22, 23, 54). That record never fits.
 * - `other`: anything else, most likely a bug; not retried.
 */
export type PostgresFailureKind = 'unavailable' | 'schema' | 'data' | 'other';

// Errors raised by Node's socket layer or by pg itself, before or after the server answered.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);
const CLIENT_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|query read timeout|connection error|client was closed|not queryable|after calling end on the pool/i;

// 08 connection exception, 53 insufficient resources (too many connections, disk full),
// 57 operator intervention (shutdown, statement timeout), 58 system error, 40 transaction
// rollback (serialization failure, deadlock), 28 authentication (credentials being rotated).
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58', '40', '28']);
const UNAVAILABLE_STATES = new Set(['55P03', '25006', '3D000']); // lock not available, read-only (failover), no database
const SCHEMA_STATES = new Set(['42P01', '42703', '42883', '3F000']); // undefined table, column, function, schema
const DATA_CLASSES = new Set(['22', '23', '54']);

export function postgresFailureKind(error: unknown): PostgresFailureKind {
  const code = codeOf(error);
  if (code !== undefined && NETWORK_CODES.has(code)) return 'unavailable';
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    if (UNAVAILABLE_CLASSES.has(code.slice(0, 2)) || UNAVAILABLE_STATES.has(code)) return 'unavailable';
    if (SCHEMA_STATES.has(code)) return 'schema';
    if (DATA_CLASSES.has(code.slice(0, 2))) return 'data';
    return 'other';
  }
  if (error instanceof Error && CLIENT_MESSAGES.test(error.message)) return 'unavailable';
  return 'other';
}

/**
 * The genstream error for a failed batch write: StoreUnavailableError (retriable) when the store
 * is the problem, ContractViolationError naming the record when a value was refused (when the
 * record cannot be told, the consumer runtime finds it by splitting the batch), and anything else
 * unchanged.
 */
export function classifyPostgresError(error: unknown, batch: readonly ContentGenerated[] = []): unknown {
  const kind = postgresFailureKind(error);
  const message = error instanceof Error ? error.message : String(error);
  switch (kind) {
    case 'unavailable':
      return new StoreUnavailableError(`PostgreSQL is unavailable: ${message}`, { cause: error });
    case 'schema':
      return new StoreUnavailableError(`PostgreSQL schema is not migrated yet: ${message}`, { cause: error });
    case 'data': {
      const culprit = culpritOf(message, batch);
      const details = {
        store: 'postgresql',
        sqlState: codeOf(error),
        ...(culprit === undefined ? {} : { contentId: culprit.contentId }),
        ...fieldsOf(error),
      };
      const subject =
        culprit === undefined ? `a batch of ${batch.length} records` : `content ${culprit.contentId}`;
      return new ContractViolationError(`PostgreSQL refused ${subject}: ${message}`, {
        cause: error,
        details,
      });
    }
    case 'other':
      return error;
  }
}

/**
 * The record a data error is about, when it can be told: the only one, or the one holding the
 * value the server quoted (`invalid input syntax for type uuid: "x"`), or the one with a NUL
 * character (which PostgreSQL text cannot hold).
 */
function culpritOf(message: string, batch: readonly ContentGenerated[]): ContentGenerated | undefined {
  if (batch.length === 1) return batch[0];
  const quoted = /"([^"]*)"/.exec(message)?.[1];
  if (quoted !== undefined) {
    const holders = batch.filter((event) => leafValues(event).some((value) => String(value) === quoted));
    if (holders.length === 1) return holders[0];
  }
  if (/0x00/.test(message)) {
    return batch.find((event) =>
      leafValues(event).some((value) => typeof value === 'string' && value.includes('\u0000')),
    );
  }
  return undefined;
}

function leafValues(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object') return [value];
  return Object.values(value).flatMap(leafValues);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function fieldsOf(error: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof error !== 'object' || error === null) return fields;
  for (const name of ['column', 'constraint', 'table', 'detail'] as const) {
    const value = (error as Record<string, unknown>)[name];
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}
