export { GenstreamError, PermanentError, TransientError, errorCode, isRetriable } from './genstream-error.js';
export * from './errors.js';
