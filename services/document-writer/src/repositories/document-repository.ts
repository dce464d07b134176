import { ContractViolationError, StoreUnavailableError } from '@genstream/errors';
import type { ContentGenerated } from '@genstream/events';
import {
  BSON,
  MongoBulkWriteError,
  MongoServerError,
  type Collection,
  type MongoClient,
  type WriteError,
} from 'mongodb';
import { toContentDocument, type ContentDocument } from './content-document.js';
import { DUPLICATE_KEY, classifyMongoError, isUnavailableCode } from './mongo-errors.js';

export interface DocumentRepositoryOptions {
  /** Default `genstream` (DESIGN.md section 2). */
  readonly databaseName?: string;
  /** Default `aiGenerated`. */
  readonly collectionName?: string;
}

export interface DocumentFailure {
  readonly contentId: string;
  /** Permanent: the document can never be written as it is. */
  readonly error: ContractViolationError;
}

export interface SaveDocumentsResult {
  /** Documents written by this call. */
  readonly inserted: number;
  /** Records already stored (an earlier delivery) or repeated within the batch. */
  readonly duplicates: number;
  /**
   * Records refused for good; every record of the batch carrying one of these contentIds failed.
   * The rest of the batch is written.
   */
  readonly failed: readonly DocumentFailure[];
}

// The server's limit for one document; the driver refuses a bigger one before sending anything,
// which would fail the whole batch, so such a document is set aside first.
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

// listIndexes on a collection that does not exist yet.
const NAMESPACE_NOT_FOUND = 26;

export const CONTENT_INDEXES = [
  { key: { userId: 1, generatedAt: -1 }, name: 'userId_1_generatedAt_-1' },
  { key: { requestId: 1 }, name: 'requestId_1' },
] as const;

/**
 * Writes ContentGenerated events as one document each, keyed by contentId: one unordered
 * insertMany per batch (no updates: FerretDB runs those one by one), and a duplicate `_id` means
 * the document is already there.
 */
export class DocumentRepository {
  private readonly collection: Collection<ContentDocument>;

  constructor(client: MongoClient, options: DocumentRepositoryOptions = {}) {
    this.collection = client
      .db(options.databaseName ?? 'genstream')
      .collection<ContentDocument>(options.collectionName ?? 'aiGenerated');
  }

  /**
   * Creates the missing indexes (a user's content by date, lookup by request) and returns their
   * names. Only the missing ones are asked for: FerretDB v1 drops the connection when
   * createIndexes names several indexes of which some exist already.
   */
  async ensureIndexes(): Promise<string[]> {
    try {
      const existing = new Set((await this.existingIndexes()).map((index) => index.name));
      const missing = CONTENT_INDEXES.filter((index) => !existing.has(index.name));
      if (missing.length === 0) return [];
      return await this.collection.createIndexes(missing.map((index) => ({ ...index })));
    } catch (error) {
      throw classifyMongoError(error);
    }
  }

  private async existingIndexes(): Promise<{ name?: string }[]> {
    try {
      return await this.collection.indexes();
    } catch (error) {
      if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
      throw error;
    }
  }

  /**
   * Throws StoreUnavailableError when MongoDB cannot take the batch now (retry it later: every
   * write is idempotent). Records refused for good are returned in `failed`, not thrown.
   */
  async saveBatch(events: readonly ContentGenerated[]): Promise<SaveDocumentsResult> {
    const seen = new Set<string>();
    const documents: ContentDocument[] = [];
    const failed: DocumentFailure[] = [];
    let duplicates = 0;
    for (const event of events) {
      if (seen.has(event.contentId)) {
        duplicates++;
        continue;
      }
      seen.add(event.contentId);
      const built = buildDocument(event);
      if (built instanceof ContractViolationError) failed.push({ contentId: event.contentId, error: built });
      else documents.push(built);
    }
    if (documents.length === 0) return { inserted: 0, duplicates, failed };

    try {
      const result = await this.collection.insertMany(documents, { ordered: false });
      return { inserted: result.insertedCount, duplicates, failed };
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || error.err !== undefined) throw classifyMongoError(error);
      const writeErrors = ([] as WriteError[]).concat(error.writeErrors);
      // The driver also wraps a failure of the whole batch (the server went away mid-batch) in a
      // bulk error, with no per-document error: nothing was refused, so nothing may count as
      // done. Taking insertedCount then would commit offsets of documents never written.
      if (writeErrors.length === 0) {
        throw new StoreUnavailableError(`MongoDB did not take the batch: ${error.message}`, { cause: error });
      }
      if (writeErrors.some((writeError) => isUnavailableCode(writeError.code))) {
        throw new StoreUnavailableError(`MongoDB is unavailable: ${error.message}`, { cause: error });
      }
      for (const writeError of writeErrors) {
        if (writeError.code === DUPLICATE_KEY) {
          duplicates++;
          continue;
        }
        const contentId = documents[writeError.index]?._id ?? 'unknown';
        failed.push({ contentId, error: refused(contentId, writeError) });
      }
      return { inserted: error.insertedCount, duplicates, failed };
    }
  }
}

function buildDocument(event: ContentGenerated): ContentDocument | ContractViolationError {
  try {
    const document = toContentDocument(event);
    const bytes = BSON.calculateObjectSize(document);
    if (bytes > MAX_DOCUMENT_BYTES) {
      return new ContractViolationError(
        `content ${event.contentId} is ${bytes} bytes as a document, over MongoDB's ${MAX_DOCUMENT_BYTES}`,
        { details: { store: 'mongodb', contentId: event.contentId, bytes } },
      );
    }
    return document;
  } catch (error) {
    if (error instanceof ContractViolationError) return error;
    throw error;
  }
}

function refused(contentId: string, writeError: WriteError): ContractViolationError {
  return new ContractViolationError(
    `MongoDB refused content ${contentId}: ${writeError.errmsg ?? 'no message'}`,
    {
      details: { store: 'mongodb', contentId, code: writeError.code },
    },
  );
}
