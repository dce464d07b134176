/**
 * What bootstrapService provides to every module of the service (inject with `@Inject(TOKEN)`:
 * vitest and tsx emit no decorator metadata).
 */
/** The service's validated configuration object, as loadConfig returned it. */
export const SERVICE_CONFIG = Symbol('genstream.service.config');
/** The service's ServiceLogger (JSON lines with `service`). */
export const SERVICE_LOGGER = Symbol('genstream.service.logger');
/** The service's name, e.g. `metadata-writer`. */
export const SERVICE_NAME = Symbol('genstream.service.name');
