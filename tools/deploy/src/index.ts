export { HELM_VERSION, ensureChecker, ensureHelm, toolsDir } from './binaries.js';
export { checkConfiguration, PENDING, type Environment } from './config-check.js';
