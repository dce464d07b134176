/**
 * Whether and how to trace, from the standard OTEL_* variables (the OpenTelemetry SDK
 * specification's names and meanings), read once at start. Off unless asked for: an OTLP endpoint
 * or OTEL_TRACES_EXPORTER=otlp turns it on; OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none
 * keeps it off whatever else is set.
 */
/**
 * Every variable the tracing preload, its exporter or its resource read: allowed in any container
 * that runs a bundle (npm run deploy:check holds the chart and compose to it).
 */
export const TRACING_VARIABLES = [
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_EXPORTER_OTLP_COMPRESSION',
] as const;

export type TracingSettings =
  | { readonly enabled: false; readonly why: string }
  | { readonly enabled: true; readonly serviceName: string; readonly sampler: SamplerSetting };

export type SamplerSetting =
  | { readonly kind: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { readonly kind: 'traceidratio' | 'parentbased_traceidratio'; readonly ratio: number };

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** A variable that asks for what genstream's tracing cannot do; the message names it. */
export class TracingSettingsError extends Error {
  override readonly name = 'TracingSettingsError';
}

/**
 * `defaultServiceName` is used when OTEL_SERVICE_NAME is unset (the preload derives it from the
 * script it runs). Throws TracingSettingsError listing every bad variable.
 */
export function tracingSettings(env: NodeJS.ProcessEnv, defaultServiceName: string): TracingSettings {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true')
    return { enabled: false, why: 'OTEL_SDK_DISABLED=true' };
  const problems: string[] = [];
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (exporters.includes('none')) return { enabled: false, why: 'OTEL_TRACES_EXPORTER=none' };
  const unsupported = exporters.filter((name) => name !== 'otlp');
  if (unsupported.length > 0)
    problems.push(`OTEL_TRACES_EXPORTER: only otlp (or none) is built in, got ${unsupported.join(', ')}`);
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const protocol = env[name]?.trim();
    if (protocol && protocol !== 'http/protobuf')
      problems.push(`${name}: only http/protobuf is built in, got ${protocol}`);
  }
  const sampler = samplerOf(env, problems);
  if (problems.length > 0) throw new TracingSettingsError(`bad tracing settings: ${problems.join('; ')}`);
  const asked =
    exporters.includes('otlp') ||
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
  if (!asked) return { enabled: false, why: 'no OTEL_EXPORTER_OTLP_ENDPOINT nor OTEL_TRACES_EXPORTER=otlp' };
  return { enabled: true, serviceName: env.OTEL_SERVICE_NAME?.trim() || defaultServiceName, sampler };
}

function samplerOf(env: NodeJS.ProcessEnv, problems: string[]): SamplerSetting {
  const kind = env.OTEL_TRACES_SAMPLER?.trim() || 'parentbased_always_on';
  if (!(SAMPLERS as readonly string[]).includes(kind)) {
    problems.push(`OTEL_TRACES_SAMPLER: one of ${SAMPLERS.join(', ')}, got ${kind}`);
    return { kind: 'parentbased_always_on' };
  }
  if (kind !== 'traceidratio' && kind !== 'parentbased_traceidratio')
    return { kind: kind as Exclude<SamplerSetting['kind'], 'traceidratio' | 'parentbased_traceidratio'> };
  const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim() || '1';
  const ratio = Number(raw);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    problems.push(`OTEL_TRACES_SAMPLER_ARG: a ratio from 0 to 1, got ${raw}`);
    return { kind, ratio: 1 };
  }
  return { kind, ratio };
}

/**
 * The service a script is, for its spans: `services/generation/dist/main.js` -> `generation`,
 * `libs/service/dist/cli/dlq.js` -> `genstream-dlq`, anything else `genstream`.
 */
export function serviceNameOfScript(script: string | undefined): string {
  const path = (script ?? '').replaceAll('\\', '/');
  const service = /(?:^|\/)services\/([^/]+)\/(?:dist|src)\/main\.[jt]s$/.exec(path);
  if (service) return service[1]!;
  const command = /\/(?:dist|src)\/cli\/([^/]+)\.[jt]s$/.exec(path);
  return command ? `genstream-${command[1]}` : 'genstream';
}
