export {
  serviceNameOfScript,
  TRACING_VARIABLES,
  tracingSettings,
  TracingSettingsError,
  type SamplerSetting,
  type TracingSettings,
} from './settings.js';
export { startTracing } from './start-tracing.js';
