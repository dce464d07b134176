import { describe, expect, it } from 'vitest';
import { serviceNameOfScript, tracingSettings } from './settings.js';

describe('tracingSettings', () => {
  it('is off by default, and on with an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp', () => {
    expect(tracingSettings({}, 'generation')).toMatchObject({ enabled: false });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, 'generation')).toEqual({
      enabled: true,
      serviceName: 'generation',
      sampler: { kind: 'parentbased_always_on' },
    });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'gen-a' }, 'x')).toMatchObject({
      enabled: true,
      serviceName: 'gen-a',
    });
  });

  it('stays off when disabled, whatever else is set', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'true' }, 'x')).toMatchObject({
      enabled: false,
    });
    expect(tracingSettings({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }, 'x')).toMatchObject({
      enabled: false,
    });
  });

  it('reads the sampler and its ratio', () => {
    const on = { OTEL_TRACES_EXPORTER: 'otlp' };
    expect(
      tracingSettings({ ...on, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'x'),
    ).toMatchObject({ sampler: { kind: 'traceidratio', ratio: 0.25 } });
    expect(tracingSettings({ ...on, OTEL_TRACES_SAMPLER: 'always_off' }, 'x')).toMatchObject({
      sampler: { kind: 'always_off' },
    });
  });

  it('refuses what is not built in, naming every bad variable', () => {
    const bad = () =>
      tracingSettings(
        {
          OTEL_TRACES_EXPORTER: 'otlp,zipkin',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '2',
        },
        'x',
      );
    expect(bad).toThrow(/OTEL_TRACES_EXPORTER: only otlp.*zipkin/);
    expect(bad).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL: only http\/protobuf.*grpc/);
    expect(bad).toThrow(/OTEL_TRACES_SAMPLER_ARG: a ratio from 0 to 1, got 2/);
    expect(() => tracingSettings({ OTEL_TRACES_SAMPLER: 'sometimes' }, 'x')).toThrow(
      /OTEL_TRACES_SAMPLER: one of/,
    );
  });
});

describe('serviceNameOfScript', () => {
  it('names a service by its folder and a command by its file', () => {
    expect(serviceNameOfScript('/app/services/generation/dist/main.js')).toBe('generation');
    expect(serviceNameOfScript('services/cache-updater/src/main.ts')).toBe('cache-updater');
    expect(serviceNameOfScript('/app/libs/service/dist/cli/dlq.js')).toBe('genstream-dlq');
    expect(serviceNameOfScript(undefined)).toBe('genstream');
  });
});
