import { logLevel, type logCreator } from 'kafkajs';

/** The logger is passed in, never global: each service decides where its lines go. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** One JSON line per entry on stderr; the default when a service passes no logger. */
export function jsonLogger(
  level: LogLevel = 'info',
  write = (line: string) => process.stderr.write(line),
): Logger {
  const at =
    (entryLevel: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (RANK[entryLevel] < RANK[level]) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: entryLevel, message, ...fields })}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = jsonLogger('silent');

/** Routes kafkajs' own log lines into our logger, so there is one stream of logs per process. */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      const line = `kafkajs ${namespace}: ${message}`;
      switch (level) {
        case logLevel.ERROR:
          return logger.error(line, fields);
        case logLevel.WARN:
          return logger.warn(line, fields);
        case logLevel.INFO:
          return logger.info(line, fields);
        default:
          return logger.debug(line, fields);
      }
    };
}

/** kafkajs filters by its own numeric levels before calling the log creator. */
export function kafkajsLevel(level: LogLevel): logLevel {
  switch (level) {
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'error':
      return logLevel.ERROR;
    case 'silent':
      return logLevel.NOTHING;
  }
}

/** A thrown value as one line of text for a log field. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
