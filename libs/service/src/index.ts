export {
  bootstrapService,
  type BootstrapOptions,
  type ServiceApplication,
} from './bootstrap/bootstrap-service.js';
export { startFailed } from './bootstrap/start-failed.js';
export { ServiceCoreModule, type ServiceCoreOptions } from './bootstrap/service-core.module.js';
export {
  DEFAULT_KAFKA_PARTITIONS,
  LOG_LEVELS,
  SERVICE_PORTS,
  commonConfig,
  type CommonConfig,
  type ServiceName,
} from './config/common-config.js';
export { optional } from './config/optional.js';
export { HEALTH_CHECK_TIMEOUT_MS, HealthChecks, type HealthCheck } from './health/health-checks.js';
export { LivenessController } from './health/liveness.controller.js';
export { errorResponseOf, httpStatusOf, type ErrorBody, type ErrorResponse } from './http/error-response.js';
export { httpError } from './http/http-error.js';
export { JsonErrorFilter } from './http/json-error.filter.js';
export {
  consumerGroupId,
  kafkaRuntimeOptionsFor,
  topicsFor,
  type ServiceKafkaRuntime,
  type ServiceKafkaRuntimeOptions,
} from './kafka/kafka-runtime-options.js';
export { serviceKafkaModule } from './kafka/service-kafka.module.js';
export { NestJsonLogger } from './logging/nest-logger.js';
export { createServiceLogger, type ServiceLogger } from './logging/service-logger.js';
export { ApiErrors, ERROR_SCHEMA, ERROR_SCHEMA_NAME } from './openapi/error-responses.js';
export { openApiDocumentOf } from './openapi/openapi-document.js';
export { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_NAME } from './tokens.js';
export {
  storeClientProviders,
  type StoreClientHooks,
  type StoreClientOptions,
} from './stores/store-client-providers.js';
