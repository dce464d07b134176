export {
  DEFAULT_SERVICE_HOST,
  DEFAULT_SERVICE_PORTS,
  MAX_REPLICAS,
  REPLICA_PORT_STEP,
  SERVICE_NAMES,
  parseReplicas,
  isServiceName,
  portOffsetFromEnv,
  serviceSpecs,
  type ServiceName,
  type ServiceSpec,
  type SpecOptions,
} from './services.js';
export {
  SERVICE_HEAP_FLAGS,
  TRACING_PRELOAD,
  serviceNodeFlags,
  ServiceProcess,
  describeExit,
  type OutputListener,
  type ServiceExit,
  type StopReport,
} from './supervisor.js';
export {
  ServiceNotHealthyError,
  checkHealth,
  waitAllHealthy,
  waitUntilHealthy,
  type HealthAnswer,
  type WaitOptions,
} from './health.js';
export { RunningServices, startServices, type StartServicesOptions } from './launch.js';
// Port probing belongs to the stack (which shifts every port); re-exported for the launcher's users.
export { freePorts, isPortTaken } from '@genstream/stack';
export { ensureStack, type StackForServices } from './stack-env.js';
export { consoleOutput } from './console-output.js';
export { compactLogLine } from './log-format.js';
export { LastLines, LineSplitter } from './output-lines.js';
export { useSystem, SystemNotRunningError, type SystemHandle } from './running-system.js';
export {
  GenstreamClient,
  HttpError,
  MODEL_CALLS_METRIC,
  fetchMetrics,
  metricValue,
  type Accepted,
  type GenerationRequestBody,
  type GenerationStatus,
  type SearchResponse,
  type SearchResult,
} from './client.js';
export {
  STORE_NAMES,
  StoreReader,
  cacheKeyRequest,
  type CacheKeySource,
  type ContentDocument,
  type ContentRow,
  type Expiring,
  type StoreUrls,
  type VectorElement,
} from './stores.js';
export {
  GenerationFailedError,
  STORES,
  waitForStores,
  type Arrival,
  type StoreName,
  type WaitForStoresOptions,
} from './materialized.js';
export {
  KafkaProbe,
  type KafkaProbeOptions,
  type PartitionEnd,
  type RawRecord,
  type Received,
} from './kafka-probe.js';
export {
  formatLatency,
  freshRequest,
  measurePublishToStores,
  median,
  type LatencySummary,
} from './latency-probe.js';
