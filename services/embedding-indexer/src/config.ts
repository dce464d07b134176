import { integer, oneOf, secret, text, url, type ConfigOf } from '@genstream/config';
import { authConfig } from '@genstream/auth';
import { commonConfig, optional } from '@genstream/service';
import { DEFAULT_VECTOR_SET } from './repositories/vector-index-repository.js';

export const SERVICE_NAME = 'embedding-indexer';

export const configSchema = {
  ...commonConfig(SERVICE_NAME),
  ...authConfig,
  REDIS_URL: secret(url(['redis:', 'rediss:'])),
  /** Put before every key; empty in production (the contract's key names). Tests use their own. */
  REDIS_KEY_PREFIX: text(''),
  VECTOR_SET: text(DEFAULT_VECTOR_SET),
  /** Fixed by the first VADD of a set; every instance must use the same. */
  VECTOR_QUANTIZATION: oneOf(['Q8', 'NOQUANT', 'BIN'], 'Q8'),
  /** `local`: the built-in offline embedder; `openai`: any OpenAI-compatible embeddings endpoint. */
  EMBEDDING_PROVIDER: oneOf(['local', 'openai'], 'local'),
  /** Local: vector length (default 256). OpenAI: expected length, learned from the first answer if unset. */
  EMBEDDING_DIMENSION: optional(integer({ min: 2, max: 65_536 })),
  /** OpenAI: the API root, e.g. https://api.openai.com/v1. */
  EMBEDDING_BASE_URL: optional(url(['http:', 'https:'])),
  /** OpenAI: e.g. text-embedding-3-small. */
  EMBEDDING_MODEL: optional(text()),
  EMBEDDING_API_KEY: secret(optional(text())),
};

export type Config = ConfigOf<typeof configSchema>;

/** Default vector length of the local embedder. */
export const LOCAL_EMBEDDING_DIMENSION = 256;
