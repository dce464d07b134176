import { Controller, Get, Inject, Query } from '@nestjs/common';
import { SearchService, type SearchAnswer } from '../services/search.service.js';
import { parseSearchQuery } from './search-query.js';

/** GET /v1/search?q=<text>&k=<1..100, default 5>&userId=<optional>: the most similar content. */
@Controller('v1')
export class SearchController {
  constructor(@Inject(SearchService) private readonly searches: SearchService) {}

  @Get('search')
  search(@Query() query: Record<string, unknown>): Promise<SearchAnswer> {
    return this.searches.search(parseSearchQuery(query));
  }
}
