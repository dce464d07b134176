import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiBody, ApiOkResponse } from '@nestjs/swagger';
import { describe, expect, it } from 'vitest';
import { ServiceCoreModule } from '../bootstrap/service-core.module.js';
import { createServiceLogger } from '../logging/service-logger.js';
import { ApiErrors, ERROR_SCHEMA } from './error-responses.js';
import { openApiDocumentOf } from './openapi-document.js';

@Controller('v1/things')
class ThingsController {
  @Post()
  @ApiBody({ schema: { type: 'object', properties: { name: { type: 'string' } } } })
  @ApiErrors({ 422: 'CONTRACT_VIOLATION' })
  create(@Body() body: unknown): unknown {
    return body;
  }

  @Get(':id')
  @ApiOkResponse({ schema: { type: 'object' } })
  @ApiErrors({ 404: 'THING_NOT_FOUND' })
  one(@Param('id') id: string): unknown {
    return { id };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

async function documentOf() {
  const logger = createServiceLogger('things', 'error');
  @Module({ imports: [ServiceCoreModule.forRoot({ name: 'things', config: {}, logger }), ThingsModule] })
  class Root {}
  const app = await NestFactory.create(Root, { logger: false, abortOnError: false });
  try {
    return openApiDocumentOf(app, 'things');
  } finally {
    await app.close();
  }
}

describe('openApiDocumentOf', () => {
  it('is OpenAPI 3.1 with every route, stable operation ids, and the Error shape on every answer', async () => {
    const document = await documentOf();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/health/live',
      '/openapi.json',
      '/v1/things',
      '/v1/things/{id}',
    ]);
    expect(document.paths['/v1/things']?.post?.operationId).toBe('Things_create');
    expect(document.components?.schemas?.Error).toEqual(ERROR_SCHEMA);
    const error = { $ref: '#/components/schemas/Error' };
    const one = document.paths['/v1/things/{id}']?.get;
    expect(one?.responses['404']).toMatchObject({ content: { 'application/json': { schema: error } } });
    expect(one?.responses.default).toMatchObject({ content: { 'application/json': { schema: error } } });
    expect(one?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
  });
});
