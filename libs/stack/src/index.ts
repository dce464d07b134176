export { ENV_VAR, SERVER_NAMES, loadStackConfig, type ServerName, type StackConfig } from './config.js';
export { StackError } from './errors.js';
export {
  SERVERS,
  stackDown,
  stackEnv,
  stackStatus,
  stackUp,
  type ServerStatus,
  type UpResult,
} from './stack.js';
export { formatStatusTable } from './table.js';
