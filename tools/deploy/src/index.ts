export { HELM_VERSION, ensureChecker, ensureGoTool, ensureHelm, toolsDir } from './binaries.js';
export { checkConfiguration, PENDING, type Environment } from './config-check.js';
