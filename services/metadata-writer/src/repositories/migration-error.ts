import { PermanentError } from '@genstream/errors';

/**
 * The schema cannot be brought up to date: a migration file is malformed, failed, or was edited
 * after it was applied. Retrying does not help; a person must look.
 */
export class MigrationError extends PermanentError {
  readonly code = 'MIGRATION_FAILED';
}
