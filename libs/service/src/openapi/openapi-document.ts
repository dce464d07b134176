import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_SCHEMA, ERROR_SCHEMA_NAME } from './error-responses.js';

const SERVER_ERROR = {
  description:
    'Any other failure, with the Error shape: 5xx INTERNAL, or UNAVAILABLE/STORE_UNAVAILABLE (503) ' +
    'while a dependency is down (retry later); a 5xx never carries details.',
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` } } },
};

/**
 * The OpenAPI 3.1 document of every route of `app`, from the controllers' decorators. Every
 * operation gets the Error shape as its `default` response, so a generated client has one error
 * type for whatever a route did not list.
 */
export function openApiDocumentOf(app: INestApplication, service: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(`genstream ${service}`)
    .setDescription(
      `The HTTP API of genstream's ${service} service. Every error answer is JSON: ` +
        '`{ "error": { "code", "message", "details"? } }` (schema Error); an unknown route is 404 NOT_FOUND.',
    )
    .setVersion('1')
    // Declared on every document; a route uses it when its controller says @ApiBearerAuth().
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'An API key (gsk_..., from `npm run keys -- create`; X-API-Key works too) or a JWT of the configured issuer',
    })
    .build();
  config.components = { ...config.components, schemas: { [ERROR_SCHEMA_NAME]: ERROR_SCHEMA } };
  const document = SwaggerModule.createDocument(app, config, {
    // Stable ids for generated clients: the handler's method name (`create`, `search`) would clash.
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (operation) operation.responses = { ...operation.responses, default: SERVER_ERROR };
    }
  }
  return document;
}
