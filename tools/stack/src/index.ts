export {
  CORE_SERVER_NAMES,
  ENV_VAR,
  OPTIONAL_SERVER_NAMES,
  SERVER_NAMES,
  isServerName,
  KAFKA_BROKER_COUNTS,
  type KafkaBrokers,
  loadStackConfig,
  portOffsetFromEnv,
  repoRoot,
  type ServerName,
  type StackConfig,
} from './config.js';
export { StackError } from './errors.js';
export { checkGo, goEnv, moduleVersionOf } from './go.js';
export { freePorts, isPortTaken } from './ports.js';
export { processTrees, residentBytes, residentBytesOfTree } from './processes.js';
export { progressFor, type Progress, type Say } from './progress.js';
export { kafkaNodeProcesses, kafkaNodes, type KafkaNode } from './servers/kafka-nodes.js';
export { DEFAULT_COMPATIBILITY, setGlobalCompatibility } from './servers/registry.js';
export { JAEGER_VERSION, jaegerUiUrl } from './servers/jaeger.js';
export {
  SERVERS,
  selectServers,
  stackDown,
  stackEnv,
  stackStatus,
  stackUp,
  type ServerStatus,
  type UpResult,
} from './stack.js';
export { formatMarkdownTable, formatStatusTable, formatTable } from './table.js';
