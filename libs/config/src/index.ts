export { flag, hostPorts, integer, oneOf, secret, text, url, type Field } from './fields.js';
export { FILE_SUFFIX, loadConfig, type ConfigOf, type ConfigSchema } from './load-config.js';
