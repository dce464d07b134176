export { flag, hostPorts, integer, oneOf, text, url, type Field } from './fields.js';
export { loadConfig, type ConfigOf, type ConfigSchema } from './load-config.js';
