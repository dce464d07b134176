import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCommand } from '../commands.js';
import type { StackConfig } from '../config.js';
import { StackError } from '../errors.js';
import { checkGo, goEnv, moduleVersionOf } from '../go.js';
import { withInstallLock } from '../install-lock.js';
import { spawnDetached } from '../processes.js';
import type { ServerDefinition } from '../server.js';

/**
 * Jaeger, where the services' traces go when the stack runs it (`npm run stack:up -- jaeger`):
 * its one binary (an OpenTelemetry Collector with Jaeger's storage and UI) receives OTLP and keeps
 * traces in memory; the UI and its API serve them. No release archive is reachable, so `install`
 * builds it once from the Go module proxy, in a module of its own inside the stack folder (Jaeger's
 * go.mod has replace directives, which `go install pkg@version` refuses).
 */
export const JAEGER_VERSION = 'v1.75.0';
const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
const JAEGER_PACKAGE = `${JAEGER_MODULE}/cmd/jaeger`;

export const jaeger: ServerDefinition = {
  name: 'jaeger',
  product: 'Jaeger',
  localVersion: JAEGER_VERSION,
  stopSignal: 'SIGTERM',
  startTimeoutMs: 60_000,

  /** The OTLP/HTTP endpoint: what OTEL_EXPORTER_OTLP_ENDPOINT names. */
  localUrl: (config: StackConfig) => `http://${config.host}:${config.ports.jaeger}`,

  /** An empty OTLP export is valid: any OTLP/HTTP receiver answers it with 200. */
  async probe(url) {
    const response = await fetch(`${url.replace(/\/+$/, '')}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array(0),
      signal: AbortSignal.timeout(3_000),
    });
    if (!response.ok) throw new Error(`POST ${url}/v1/traces answered ${response.status}`);
    return undefined;
  },

  async install({ paths, progress }) {
    const binary = binaryOf(paths.home);
    if (existsSync(binary)) return;
    const goVersion = await checkGo(`Jaeger ${JAEGER_VERSION}`);
    await withInstallLock(paths.home, progress, async () => {
      if (existsSync(binary)) return;
      const build = resolve(paths.home, 'build');
      const partial = `${binary}.partial`;
      rmSync(build, { recursive: true, force: true });
      mkdirSync(build, { recursive: true });
      writeFileSync(resolve(build, 'go.mod'), 'module genstream.local/jaeger\n\ngo 1.26\n');
      const options = { cwd: build, env: goEnv(), logFile: paths.installLog };
      await progress.during(
        `building Jaeger ${JAEGER_VERSION} with ${goVersion} from the Go module proxy (first time only, several minutes)`,
        (async () => {
          await runCommand('go', ['get', '-tool', `${JAEGER_PACKAGE}@${JAEGER_VERSION}`], options);
          await runCommand(
            'go',
            ['build', '-trimpath', '-ldflags', '-s -w', '-o', partial, JAEGER_PACKAGE],
            options,
          );
        })(),
      );
      const built = await moduleVersionOf(partial, JAEGER_MODULE);
      if (built !== JAEGER_VERSION)
        throw new StackError(
          'jaeger',
          `the binary just built is ${built ?? 'of an unknown module'}, not ${JAEGER_VERSION}`,
        );
      // Renamed only when complete, so an interrupted build is never taken for a finished one.
      renameSync(partial, binary);
      rmSync(build, { recursive: true, force: true });
    });
  },

  async start({ config, paths }) {
    const binary = binaryOf(paths.home);
    if (!existsSync(binary)) throw new StackError('jaeger', `${binary} is missing: run install first`);
    mkdirSync(paths.data, { recursive: true });
    const configFile = resolve(paths.data, 'jaeger.yaml');
    writeFileSync(configFile, jaegerConfig(config));
    return spawnDetached(binary, ['--config', configFile], {
      logFile: paths.log,
      pidFile: paths.pidFile,
      cwd: paths.data,
    });
  },
};

/** The trace UI of a local Jaeger (also its HTTP API: /api/traces/{traceId}). */
export function jaegerUiUrl(config: StackConfig): string {
  return `http://${config.host}:${config.ports.jaegerUi}`;
}

function binaryOf(home: string): string {
  return resolve(home, `jaeger-${JAEGER_VERSION}`);
}

/**
 * Jaeger's all-in-one pipeline cut down to what genstream uses: OTLP in (HTTP and gRPC), memory
 * storage, the query UI; every port on loopback and from the stack's port map (no default port of
 * Jaeger's own, so it never collides with another Jaeger on the machine).
 */
export function jaegerConfig(config: StackConfig): string {
  const at = (port: number) => `${config.host}:${port}`;
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: none
    logs:
      level: info
extensions:
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: ${at(config.ports.jaegerUi)}
    grpc:
      endpoint: ${at(config.ports.jaegerUiGrpc)}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: ${at(config.ports.jaegerOtlpGrpc)}
      http:
        endpoint: ${at(config.ports.jaeger)}
processors:
  batch:
    timeout: 200ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}
