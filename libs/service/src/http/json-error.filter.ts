import { errorCode } from '@genstream/errors';
import type { Logger } from '@genstream/kafka';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { errorResponseOf } from './error-response.js';

interface JsonResponse {
  headersSent: boolean;
  status(code: number): { json(body: unknown): unknown };
}

interface RequestLine {
  method?: string;
  originalUrl?: string;
  url?: string;
}

/**
 * Every error of every route (and of body parsing, and unknown routes) as a JSON body with a
 * stable code. 4xx are the caller's fault and logged at debug; 5xx are logged with their stack,
 * and their bodies never carry internals.
 */
@Catch()
export class JsonErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<JsonResponse>();
    const request = http.getRequest<RequestLine>();
    const { status, body } = errorResponseOf(error);
    const fields = {
      method: request.method,
      url: request.originalUrl ?? request.url,
      status,
      code: body.error.code,
    };
    if (status >= 500) {
      this.logger.error('request failed', {
        ...fields,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        errorCode: errorCode(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
    } else {
      this.logger.debug('request refused', { ...fields, message: body.error.message });
    }
    if (response.headersSent) return;
    response.status(status).json(body);
  }
}
