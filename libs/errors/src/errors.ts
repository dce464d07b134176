import { PermanentError, TransientError } from './genstream-error.js';

// Event bytes that cannot be decoded. Each names what is wrong with the bytes.

export class BadMagicError extends PermanentError {
  readonly code = 'EVENT_BAD_MAGIC';
}

export class UnknownSchemaError extends PermanentError {
  readonly code = 'EVENT_UNKNOWN_SCHEMA';
}

export class TruncatedEventError extends PermanentError {
  readonly code = 'EVENT_TRUNCATED';
}

/** The event does not match its schema; `details.paths` lists the offending field paths. */
export class InvalidEventError extends PermanentError {
  readonly code = 'EVENT_INVALID';
}

/** A `.avsc` file or schema text is not a valid genstream schema; the message names the file and the fault. */
export class InvalidSchemaError extends PermanentError {
  readonly code = 'SCHEMA_INVALID';
}

/** Two schema versions cannot be resolved into each other (backward compatibility broken). */
export class IncompatibleSchemaError extends PermanentError {
  readonly code = 'SCHEMA_INCOMPATIBLE';
}

/** A well-formed event whose content breaks the contract (empty prompt, unknown model...). */
export class ContractViolationError extends PermanentError {
  readonly code = 'CONTRACT_VIOLATION';
}

/** Configuration is missing or malformed; `details.problems` lists each bad variable. */
export class ConfigError extends PermanentError {
  readonly code = 'CONFIG_INVALID';
}

/** A store (database, cache, broker, registry) did not accept the work now; retry later. */
export class StoreUnavailableError extends TransientError {
  readonly code = 'STORE_UNAVAILABLE';
}

/** A call to a dependency timed out; retry later. */
export class DependencyTimeoutError extends TransientError {
  readonly code = 'DEPENDENCY_TIMEOUT';
}

/**
 * The schema registry refused a request with a 4xx answer (bad credentials, wrong URL, a schema it
 * will not accept): retrying the same request will not help.
 */
export class RegistryRejectedError extends PermanentError {
  readonly code = 'REGISTRY_REJECTED';
}

/** The schema registry could not be reached or answered with a server error; retry later. */
export class RegistryUnavailableError extends TransientError {
  readonly code = 'REGISTRY_UNAVAILABLE';
}

/**
 * A model or embedding provider refused the request (bad key, unknown model, invalid parameters,
 * a 4xx answer or a malformed one): sending the same request again will not help.
 */
export class ProviderRejectedError extends PermanentError {
  readonly code = 'PROVIDER_REJECTED';
}

/** A model or embedding provider could not be reached, was overloaded or failed (5xx, 429); retry later. */
export class ProviderUnavailableError extends TransientError {
  readonly code = 'PROVIDER_UNAVAILABLE';
}

/** The request names a model that no configured provider serves. */
export class UnknownModelError extends PermanentError {
  readonly code = 'MODEL_UNKNOWN';
}

/**
 * A vector set was built by another embedder than the one at hand: their vectors live in
 * different spaces and must not be compared (a search) or mixed (a resumed reindex).
 */
export class EmbedderConflictError extends PermanentError {
  readonly code = 'EMBEDDER_CONFLICT';
}

/**
 * The vector set alias moved while a batch was being written, or names a set this instance's
 * embedder cannot write: the batch waits and is retried against the set the alias names then.
 */
export class VectorSetSwitchedError extends TransientError {
  readonly code = 'VECTOR_SET_SWITCHED';
}
