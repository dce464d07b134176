import { Validator } from '@seriousme/openapi-schema-validator';
import type { RunningService } from './test-service.js';

/** What checkOpenApi found: the validator's verdict and the routes served but not documented. */
export interface OpenApiCheck {
  readonly version: string | undefined;
  readonly errors: unknown;
  /** Every route Express serves, `GET /v1/generations/{requestId}`-style. */
  readonly served: readonly string[];
  /** Those of `served` that the document lacks (empty when complete). */
  readonly undocumented: readonly string[];
  readonly document: { readonly openapi?: string; readonly paths?: Record<string, object> };
}

interface ExpressLayer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
}

/**
 * Fetches the running service's /openapi.json, validates it against the official OpenAPI schema
 * (a `$ref` that points nowhere fails too), and lists every route Express serves that it does not
 * document: taken from the router, not from the Nest metadata the document came from.
 */
export async function checkOpenApi(service: RunningService): Promise<OpenApiCheck> {
  const { status, body } = await service.request('/openapi.json');
  if (status !== 200) throw new Error(`GET /openapi.json answered ${status}`);
  const document = body as OpenApiCheck['document'];
  const validator = new Validator();
  const result = await validator.validate(document);
  const documented = new Set(
    Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  const served = servedRoutes(service);
  const undocumented = served.filter((route) => !documented.has(route));
  return { version: validator.version, errors: result.errors, served, undocumented, document };
}

/** `METHOD /path/{param}` of every route registered on the Express app. */
function servedRoutes(service: RunningService): string[] {
  const express = service.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods).map(
          (method) => `${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`,
        )
      : [],
  );
}
