import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@genstream/kafka';

/**
 * Nest's own log lines (module init, routes, exceptions) through our JSON logger, so a process
 * writes one kind of line. Nest passes the context as the last string argument and, for errors,
 * a stack before it.
 */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.logger.info(...this.entry(message, params));
  }

  error(message: unknown, ...params: unknown[]): void {
    this.logger.error(...this.entry(message, params, true));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.logger.warn(...this.entry(message, params));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.logger.debug(...this.entry(message, params));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.logger.debug(...this.entry(message, params));
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.logger.error(...this.entry(message, params, true));
  }

  private entry(message: unknown, params: unknown[], withStack = false): [string, Record<string, unknown>] {
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    if (withStack && typeof rest[0] === 'string') fields.stack = rest.shift();
    if (rest.length > 0) fields.params = rest;
    if (message instanceof Error) {
      fields.stack ??= message.stack;
      return [message.message, fields];
    }
    return [typeof message === 'string' ? message : JSON.stringify(message), fields];
  }
}
