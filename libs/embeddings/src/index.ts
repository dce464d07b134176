export type { EmbeddingProvider } from './embedding-provider.js';
export { LocalHashedEmbedder, type LocalHashedEmbedderOptions } from './local/local-hashed-embedder.js';
export {
  OpenAiEmbeddingProvider,
  type OpenAiEmbeddingProviderOptions,
} from './openai/openai-embedding-provider.js';
export { cosineSimilarity, fromFp32Buffer, l2Normalize, toFp32Buffer } from './vectors.js';
