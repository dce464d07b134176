// `node --import <this bundle> <service>`: OpenTelemetry, when the OTEL_* variables ask for it,
// installed before the service's first import. Instrumenting the npm packages a bundle imports
// (ESM) needs the import-in-the-middle loader hook, and a hook only sees modules imported after
// it is registered: hence a preload, not a call in main.ts. Off, it loads nothing more.
import { register } from 'node:module';
import { serviceNameOfScript, tracingSettings, TracingSettingsError } from '../settings.js';

try {
  const settings = tracingSettings(process.env, serviceNameOfScript(process.argv[1]));
  if (settings.enabled) {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
    const { startTracing } = await import('../start-tracing.js');
    await startTracing(settings);
  }
} catch (error) {
  process.stderr.write(
    `${error instanceof TracingSettingsError ? error.message : `tracing failed to start: ${String(error)}`}\n`,
  );
  process.exit(1);
}
