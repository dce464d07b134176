import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, type OpenAPIObject } from '@nestjs/swagger';

/** Holds the document bootstrapService builds once the application (and so every route) exists. */
export class OpenApiDocumentHolder {
  document: OpenAPIObject | undefined;
}

/** GET /openapi.json: this service's OpenAPI 3.1 document, for client teams to generate clients. */
@ApiTags('operations')
@Controller()
export class OpenApiController {
  constructor(@Inject(OpenApiDocumentHolder) private readonly holder: OpenApiDocumentHolder) {}

  @Get('openapi.json')
  @ApiOperation({ summary: "This service's OpenAPI 3.1 document" })
  @ApiOkResponse({ description: 'The OpenAPI document', schema: { type: 'object' } })
  document(): OpenAPIObject {
    if (!this.holder.document) throw new Error('the OpenAPI document is built at start-up; not yet');
    return this.holder.document;
  }
}
