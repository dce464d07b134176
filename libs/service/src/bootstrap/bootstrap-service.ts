import type { AddressInfo } from 'node:net';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, HttpMetrics, METRICS_REGISTRY, flushTraces } from '@genstream/kafka';
import { Module, type DynamicModule, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JsonErrorFilter } from '../http/json-error.filter.js';
import { NestJsonLogger } from '../logging/nest-logger.js';
import type { ServiceLogger } from '../logging/service-logger.js';
import { openApiDocumentOf } from '../openapi/openapi-document.js';
import { OpenApiDocumentHolder } from '../openapi/openapi.controller.js';
import { ServiceCoreModule } from './service-core.module.js';

export interface BootstrapOptions {
  /** E.g. `metadata-writer`: in logs, the start line, the Kafka client id and consumer group. */
  readonly name: string;
  /** The service's root module. */
  readonly module: Type<unknown> | DynamicModule;
  /** The validated configuration (loadConfig of a schema that spreads commonConfig). */
  readonly config: { readonly PORT: number; readonly HOST: string };
  readonly logger: ServiceLogger;
  /** Largest accepted request body (JSON or urlencoded); default 1 MB. Larger: 413 BODY_TOO_LARGE. */
  readonly bodyLimit?: string | number;
  /**
   * Stop on SIGTERM/SIGINT: the Kafka runtime finishes and commits its batch, the HTTP server and
   * store clients close, the process exits 0 (1 when that took longer than shutdownTimeoutMs).
   * Default true; tests booting several apps in one process pass false and close them themselves.
   */
  readonly handleSignals?: boolean;
  /** Bound of the whole shutdown; default the runtime's own bound plus 5 s. */
  readonly shutdownTimeoutMs?: number;
  /** Where the one start line goes; default stdout. */
  readonly announce?: (line: string) => void;
}

export type ServiceApplication = NestExpressApplication;

/**
 * Creates, configures and starts a service: Nest with JSON logs, the body size limit, JSON errors
 * for everything (bad JSON 400 BAD_JSON, too large 413 BODY_TOO_LARGE, unknown route 404
 * NOT_FOUND), /health (readiness) and /health/live, HTTP request metrics on /metrics, the OpenAPI
 * document of every route on /openapi.json, graceful shutdown. Resolves once it listens,
 * after printing `<name> listening on http://<host>:<port> (health /health, metrics /metrics)`.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<ServiceApplication> {
  const { name, config, logger } = options;

  @Module({ imports: [ServiceCoreModule.forRoot({ name, config, logger }), options.module] })
  class ServiceRootModule implements OnApplicationShutdown {
    // The root module's hook runs after those of the modules it imports: the last batch's spans
    // are ended by then, and exported before the process exits (a no-op when tracing is off).
    onApplicationShutdown(): Promise<void> {
      return flushTraces();
    }
  }

  const app = await NestFactory.create<NestExpressApplication>(ServiceRootModule, {
    logger: new NestJsonLogger(logger),
    // Throw start-up failures to the caller (main.ts exits 1) instead of aborting the process.
    abortOnError: false,
  });
  const limit = options.bodyLimit ?? '1mb';
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.useGlobalFilters(new JsonErrorFilter(logger));
  app.disable('x-powered-by');
  // Built from the controllers' decorators before listening, so the first request already gets it.
  app.get(OpenApiDocumentHolder).document = openApiDocumentOf(app, name);
  // Before the routes, so every request is counted on /metrics (a service without the Kafka runtime has no registry).
  const registry = metricsRegistryOf(app);
  if (registry) app.use(new HttpMetrics(registry).middleware());
  if (options.handleSignals ?? true) {
    app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    exitWithin(options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS + 5_000, logger);
  }

  try {
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    // A store or Kafka that refused to start, or a port in use: release what did start.
    await app.close().catch(() => undefined);
    throw error;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  announce(`${name} listening on http://${config.HOST}:${port} (health /health, metrics /metrics)`);
  return app;
}

function metricsRegistryOf(
  app: NestExpressApplication,
): ConstructorParameters<typeof HttpMetrics>[0] | undefined {
  try {
    return app.get(METRICS_REGISTRY, { strict: false });
  } catch {
    return undefined;
  }
}

/** Once a shutdown signal came, exit 1 if the orderly shutdown has not exited by then. */
function exitWithin(timeoutMs: number, logger: ServiceLogger): void {
  const arm = (signal: NodeJS.Signals) => {
    logger.info('shutting down', { signal });
    setTimeout(() => {
      logger.error('shutdown took too long; exiting', { timeoutMs });
      process.exit(1);
    }, timeoutMs).unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
