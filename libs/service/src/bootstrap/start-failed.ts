import { GenstreamError } from '@genstream/errors';

/**
 * For main.ts: a service that cannot start (bad configuration, a store that refuses its schema)
 * says why in one JSON line on stderr, every bad variable listed, and exits 1.
 */
export function startFailed(service: string, error: unknown): never {
  const fields =
    error instanceof GenstreamError
      ? { code: error.code, error: error.message, details: error.details }
      : { code: 'INTERNAL', error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'error', message: 'cannot start', service, ...fields })}\n`,
  );
  process.exit(1);
}
