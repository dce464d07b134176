import { StoreUnavailableError } from '@genstream/errors';
import {
  MongoClientClosedError,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
} from 'mongodb';

/** The server's code for a duplicate `_id`: the document is already written. */
export const DUPLICATE_KEY = 11000;

const UNAVAILABLE_CLASSES = [
  MongoNetworkError, // includes network timeouts
  MongoServerSelectionError,
  MongoNotConnectedError,
  MongoTopologyClosedError,
  MongoServerClosedError,
  MongoClientClosedError,
  MongoOperationTimeoutError,
  MongoWriteConcernError,
];

// Server codes meaning "not now": host unreachable or not found, network timeout, shutting down,
// primary stepped down or not primary, time limit, socket, lock timeouts, out of disk, and
// authentication (credentials being rotated: better to wait than to dead-letter every record).
const UNAVAILABLE_CODES = new Set([
  6, 7, 89, 91, 189, 262, 50, 9001, 10107, 11600, 11602, 13435, 13436, 112, 24, 46, 14031, 13, 18,
]);

/** True when the store, not the data, is the problem: the same write will succeed later. */
export function isMongoUnavailable(error: unknown): boolean {
  if (UNAVAILABLE_CLASSES.some((type) => error instanceof type)) return true;
  if (error instanceof MongoError) {
    if (error.hasErrorLabel('RetryableWriteError') || error.hasErrorLabel('ResetPool')) return true;
    if (error instanceof MongoServerError && typeof error.code === 'number')
      return isUnavailableCode(error.code);
  }
  return false;
}

/** For the per-document errors of a bulk write, which carry only a code. */
export function isUnavailableCode(code: number): boolean {
  return UNAVAILABLE_CODES.has(code);
}

/** StoreUnavailableError (retriable) for an unavailable store; anything else unchanged. */
export function classifyMongoError(error: unknown): unknown {
  if (!isMongoUnavailable(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`MongoDB is unavailable: ${message}`, { cause: error });
}
