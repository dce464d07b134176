import { LocalHashedEmbedder, OpenAiEmbeddingProvider, type EmbeddingProvider } from '@genstream/embeddings';
import { ConfigError } from '@genstream/errors';
import { SERVICE_CONFIG } from '@genstream/service';
import type { Provider } from '@nestjs/common';
import { LOCAL_EMBEDDING_DIMENSION, type Config } from '../config.js';

/** The EmbeddingProvider that both indexing and search use: one vector space. */
export const EMBEDDER = Symbol('embedding-indexer.embedder');

export const embeddingProvider: Provider = {
  provide: EMBEDDER,
  inject: [SERVICE_CONFIG],
  useFactory: (config: Config) => createEmbedder(config),
};

export function createEmbedder(config: Config): EmbeddingProvider {
  switch (config.EMBEDDING_PROVIDER) {
    case 'local':
      return new LocalHashedEmbedder({ dimension: config.EMBEDDING_DIMENSION ?? LOCAL_EMBEDDING_DIMENSION });
    case 'openai': {
      const missing = (['EMBEDDING_BASE_URL', 'EMBEDDING_MODEL'] as const).filter((name) => !config[name]);
      if (missing.length > 0) {
        const problems = missing.map((name) => `${name} is required when EMBEDDING_PROVIDER=openai`);
        throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`, {
          details: { problems },
        });
      }
      return new OpenAiEmbeddingProvider({
        baseUrl: config.EMBEDDING_BASE_URL!,
        model: config.EMBEDDING_MODEL!,
        ...(config.EMBEDDING_API_KEY === undefined ? {} : { apiKey: config.EMBEDDING_API_KEY }),
        ...(config.EMBEDDING_DIMENSION === undefined ? {} : { dimension: config.EMBEDDING_DIMENSION }),
      });
    }
  }
}
