import { jsonLogger, type Logger, type LogLevel } from '@genstream/kafka';

/** The one Logger type of the repo, with fields bound to every line (`service`, `requestId`...). */
export interface ServiceLogger extends Logger {
  /** A logger whose lines also carry `fields`, e.g. `logger.child({ requestId })`. */
  child(fields: Record<string, unknown>): ServiceLogger;
}

/** JSON lines on stderr (by default), each with the `service` field. */
export function createServiceLogger(
  service: string,
  level: LogLevel = 'info',
  write?: (line: string) => void,
): ServiceLogger {
  const base =
    write === undefined
      ? jsonLogger(level)
      : jsonLogger(level, (line) => {
          write(line);
          return true;
        });
  return bind(base, { service });
}

function bind(base: Logger, bound: Record<string, unknown>): ServiceLogger {
  const at =
    (method: keyof Logger) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      base[method](message, { ...bound, ...fields });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => bind(base, { ...bound, ...fields }),
  };
}
