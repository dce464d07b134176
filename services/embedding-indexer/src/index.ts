export { toFp32Blob } from './repositories/fp32-blob.js';
export { filterExpression, type SearchFilter } from './repositories/search-filter.js';
export {
  DEFAULT_VECTOR_SET,
  VectorIndexRepository,
  type AddBatchResult,
  type Quantization,
  type SearchHit,
  type SearchOptions,
  type VectorAttributes,
  type VectorIndexOptions,
  type VectorItem,
} from './repositories/vector-index-repository.js';
export { SERVICE_NAME, configSchema, type Config } from './config.js';
export { EmbeddingIndexerModule } from './embedding-indexer.module.js';
export { type SearchAnswer, type SearchResult } from './services/search.service.js';
export { embeddingText, vectorItemOf } from './services/content-indexer.service.js';
export { MAX_K, MAX_QUERY_CHARS, parseSearchQuery } from './handlers/search-query.js';
