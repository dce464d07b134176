/**
 * Base of every error genstream raises on purpose. `code` is stable and travels across process
 * boundaries (dead-letter headers, HTTP bodies, logs) where `instanceof` does not. `retriable`
 * decides what a consumer does: retry later (the store is down) or dead-letter the record (the
 * record itself is bad and always will be).
 */
export abstract class GenstreamError extends Error {
  abstract readonly code: string;
  abstract readonly retriable: boolean;
  /** Machine-readable specifics, e.g. the invalid field paths of an event. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
  }

  toJSON(): {
    code: string;
    message: string;
    retriable: boolean;
    details: Readonly<Record<string, unknown>>;
  } {
    return { code: this.code, message: this.message, retriable: this.retriable, details: this.details };
  }
}

/** The input can never be processed as it is: retrying will not help. */
export abstract class PermanentError extends GenstreamError {
  readonly retriable = false;
}

/** A dependency failed for now (store down, timeout): the same work may succeed later. */
export abstract class TransientError extends GenstreamError {
  readonly retriable = true;
}

/** True for errors worth retrying. Unknown errors are not: retrying a bug forever helps nobody. */
export function isRetriable(error: unknown): boolean {
  return error instanceof GenstreamError && error.retriable;
}

/** The stable code of any thrown value, for logs and dead-letter headers. */
export function errorCode(error: unknown): string {
  return error instanceof GenstreamError ? error.code : 'INTERNAL';
}
