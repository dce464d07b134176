import type { AddressInfo } from 'node:net';
import type { LogLevel } from '@genstream/kafka';
import {
  bootstrapService,
  createServiceLogger,
  type BootstrapOptions,
  type ServiceApplication,
} from '@genstream/service';

/** A service booted in-process on a free port, closed (gracefully, as on SIGTERM) on release. */
export interface RunningService extends AsyncDisposable {
  readonly app: ServiceApplication;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** GET or POST `path`, answering the status and the parsed JSON (or text) body. */
  request(path: string, init?: RequestInit): Promise<{ status: number; body: unknown }>;
}

/**
 * bootstrapService for tests: no signal handlers, no start line, logs at `error` unless
 * GENSTREAM_TEST_LOG=debug. Give it a config with PORT 0. With `apiKey`, `request` sends it as
 * `Authorization: Bearer` unless the call names a credential header itself.
 */
export async function startTestService(
  options: Omit<BootstrapOptions, 'logger' | 'handleSignals' | 'announce'> & {
    readonly logLevel?: LogLevel;
    readonly apiKey?: string;
  },
): Promise<RunningService> {
  const level = options.logLevel ?? (process.env.GENSTREAM_TEST_LOG === 'debug' ? 'debug' : 'error');
  const app = await bootstrapService({
    ...options,
    logger: createServiceLogger(options.name, level),
    handleSignals: false,
    announce: () => {},
  });
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    async request(path, init) {
      const headers = new Headers(init?.headers);
      if (options.apiKey && !headers.has('authorization') && !headers.has('x-api-key'))
        headers.set('authorization', `Bearer ${options.apiKey}`);
      const response = await fetch(`${url}${path}`, { ...init, headers });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    },
    async [Symbol.asyncDispose]() {
      await app.close();
    },
  };
}
