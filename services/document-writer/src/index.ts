export {
  DATE_FIELDS,
  RENAMED_FIELDS,
  toContentDocument,
  type ContentDocument,
} from './repositories/content-document.js';
export {
  CONTENT_INDEXES,
  DocumentRepository,
  type DocumentFailure,
  type DocumentRepositoryOptions,
  type SaveDocumentsResult,
} from './repositories/document-repository.js';
export { classifyMongoError, isMongoUnavailable } from './repositories/mongo-errors.js';
export { SERVICE_NAME, configSchema, type Config } from './config.js';
export { DocumentWriterModule } from './document-writer.module.js';
