export { DATE_FIELDS, RENAMED_FIELDS, toContentDocument, type ContentDocument } from './content-document.js';
export {
  CONTENT_INDEXES,
  DocumentRepository,
  type DocumentFailure,
  type DocumentRepositoryOptions,
  type SaveDocumentsResult,
} from './document-repository.js';
export { classifyMongoError, isMongoUnavailable } from './mongo-errors.js';
