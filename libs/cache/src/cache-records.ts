import type { CacheHit } from '@genstream/events';

/** A response cache entry: enough to answer a request again without the model. */
export interface CachedResponse {
  readonly contentId: string;
  readonly requestId: string;
  readonly output: string;
  readonly modelUsed: string;
  /** Epoch milliseconds. */
  readonly generatedAt: number;
  readonly usage: { readonly promptTokens: number | null; readonly completionTokens: number | null };
}

/** Where a request stands, for clients polling it. */
export type RequestStatus = AcceptedStatus | DoneStatus | FailedStatus;

interface TenantOwned {
  /**
   * The request's tenant (null: none), so the HTTP API shows a status to its own tenant only.
   * Absent in records written before it was kept: those belong to no tenant.
   */
  readonly tenant?: string | null;
}

export interface AcceptedStatus extends TenantOwned {
  readonly state: 'accepted';
  /** Epoch milliseconds. */
  readonly acceptedAt: number;
}

export interface DoneStatus extends TenantOwned {
  readonly state: 'done';
  readonly contentId: string;
  readonly output: string;
  readonly modelUsed: string;
  /** Epoch milliseconds. */
  readonly generatedAt: number;
  readonly cacheHit: CacheHit;
}

export interface FailedStatus extends TenantOwned {
  readonly state: 'failed';
  /** A stable error code (e.g. DEPENDENCY_TIMEOUT). */
  readonly code: string;
  readonly message: string;
  /** Epoch milliseconds. */
  readonly failedAt: number;
}
