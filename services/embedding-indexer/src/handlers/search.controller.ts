import {
  AUTH_ERRORS,
  AuthGuard,
  Caller,
  RequireScope,
  tenantBoundary,
  type Principal,
} from '@genstream/auth';
import { ApiErrors } from '@genstream/service';
import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SearchService, type SearchAnswer } from '../services/search.service.js';
import { parseSearchQuery } from './search-query.js';
import { K_SCHEMA, Q_SCHEMA, SEARCH_ANSWER_SCHEMA, USER_ID_SCHEMA } from './search.openapi.js';

/**
 * GET /v1/search?q=<text>&k=<1..100, default 5>&userId=<optional>: the most similar content of
 * the caller's tenant.
 */
@ApiTags('search')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1')
export class SearchController {
  constructor(@Inject(SearchService) private readonly searches: SearchService) {}

  @Get('search')
  @RequireScope('search')
  @ApiOperation({ summary: 'The content most similar to a text, by its embedding' })
  @ApiQuery({ name: 'q', required: true, schema: Q_SCHEMA, description: 'The text to search for' })
  @ApiQuery({ name: 'k', required: false, schema: K_SCHEMA, description: 'How many results' })
  @ApiQuery({
    name: 'userId',
    required: false,
    schema: USER_ID_SCHEMA,
    description: "Only this user's content",
  })
  @ApiOkResponse({ description: 'The nearest neighbours', schema: SEARCH_ANSWER_SCHEMA })
  @ApiErrors({
    400: 'BAD_QUERY: a parameter is missing, repeated or out of range (the message names it)',
    ...AUTH_ERRORS,
    403: 'SCOPE_MISSING: the credential lacks the search scope',
    409: 'EMBEDDER_CONFLICT: the vector set search reads was built by another embedder than this instance runs (after a reindex; the message names both)',
  })
  search(
    @Query() query: Record<string, unknown>,
    @Caller() caller: Principal | undefined,
  ): Promise<SearchAnswer> {
    const parsed = parseSearchQuery(query);
    const tenant = tenantBoundary(caller);
    return this.searches.search(tenant === undefined ? parsed : { ...parsed, tenant });
  }
}
