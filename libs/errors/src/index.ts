export { GenstreamError, PermanentError, TransientError, errorCode, isRetriable } from './genstream-error.js';
export * from './errors.js';
// What every retrier of a retriable error shares: how long to wait, and the wait itself.
export { backoffCeiling, backoffDelay, type BackoffOptions } from './backoff.js';
export { sleep } from './sleep.js';
