import { PermanentError } from '@genstream/errors';

// Errors only the events library raises, in the one hierarchy (subclasses of PermanentError).

/** A `.avsc` file or schema text is not a valid genstream schema; the message names the file and the fault. */
export class InvalidSchemaError extends PermanentError {
  readonly code = 'SCHEMA_INVALID';
}

/**
 * The schema registry refused a request with a 4xx answer (bad credentials, wrong URL, a schema it
 * will not accept): retrying the same request will not help.
 */
export class RegistryRejectedError extends PermanentError {
  readonly code = 'REGISTRY_REJECTED';
}
