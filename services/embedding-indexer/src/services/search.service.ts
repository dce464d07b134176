import type { EmbeddingProvider } from '@genstream/embeddings';
import { EmbedderConflictError } from '@genstream/errors';
import { Inject, Injectable } from '@nestjs/common';
import { EMBEDDER } from '../repositories/embedding.provider.js';
import { VectorSetAliasRepository } from '../repositories/vector-set-alias.repository.js';
import type { VectorSetTarget } from '../repositories/vector-set-names.js';
import type { VectorSetAlias } from './content-indexer.service.js';
import { embedderConflict } from './embedder-spec.js';
import {
  VectorIndexRepository,
  type SearchHit,
  type SearchOptions,
} from '../repositories/vector-index-repository.js';

export interface SearchQuery {
  readonly q: string;
  readonly k: number;
  readonly userId?: number;
  /** The caller's tenant, from its credential: only its content is searched. */
  readonly tenant?: string;
}

export interface SearchResult {
  readonly contentId: string;
  /** Cosine similarity mapped to 0..1. */
  readonly score: number;
  readonly title: string | null;
  readonly output: string | null;
  readonly userId: number | null;
  /** The model that generated the content. */
  readonly model: string | null;
  /** Epoch milliseconds, as in the events. */
  readonly generatedAt: number | null;
}

export interface SearchAnswer {
  readonly query: string;
  readonly results: readonly SearchResult[];
}

/** What search needs of the vector index (tests pass a fake). */
export interface VectorSearch {
  search(vector: Float32Array, options: SearchOptions): Promise<SearchHit[]>;
}

/**
 * Similar content: the query embedded by the indexing provider, then VSIM (optionally one user's)
 * on the set the alias names. A set built by another embedder than this instance's is refused
 * with EmbedderConflictError (409, saying which embedders differ): its scores would be noise.
 */
@Injectable()
export class SearchService {
  constructor(
    @Inject(EMBEDDER) private readonly embedder: EmbeddingProvider,
    @Inject(VectorIndexRepository) private readonly index: VectorSearch,
    @Inject(VectorSetAliasRepository) private readonly alias: VectorSetAlias,
  ) {}

  async search({ q, k, userId, tenant }: SearchQuery): Promise<SearchAnswer> {
    const target = await this.alias.current();
    this.refuseOtherEmbedder(target);
    const [vector] = await this.embedder.embed([q]);
    this.refuseOtherEmbedder(target, vector?.length);
    // A query with no words has no direction: nothing is similar to it.
    if (vector === undefined || vector.every((value) => value === 0)) return { query: q, results: [] };
    const hits = await this.index.search(vector, {
      k,
      vectorSet: target.set,
      ...(userId === undefined ? {} : { userId }),
      ...(tenant === undefined ? {} : { tenant }),
    });
    return {
      query: q,
      results: hits.map((hit) => ({
        contentId: hit.contentId,
        score: hit.score,
        title: hit.title ?? hit.attributes?.title ?? null,
        output: hit.output,
        userId: hit.attributes?.userId ?? null,
        model: hit.attributes?.model ?? null,
        generatedAt: hit.attributes?.generatedAt ?? null,
      })),
    };
  }

  private refuseOtherEmbedder(target: VectorSetTarget, dimension?: number): void {
    const conflict = embedderConflict(target, { name: this.embedder.name, dimension });
    if (conflict !== undefined) {
      throw new EmbedderConflictError(`cannot search: ${conflict}`, { details: { vectorSet: target.set } });
    }
  }
}
