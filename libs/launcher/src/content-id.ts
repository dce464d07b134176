import { createHash } from 'node:crypto';

/**
 * Namespace of every contentId (the generation service's contract: contentId = uuidv5 of the
 * lowercase requestId in this namespace), so readers find a request's content by its requestId
 * with a primary-key lookup in every store.
 */
export const CONTENT_ID_NAMESPACE = '1f367696-c5df-5cc0-8c28-efa987c05607';

/** The contentId the generation service gives the answer to `requestId`. */
export function contentIdOf(requestId: string): string {
  return uuidV5(requestId.toLowerCase(), CONTENT_ID_NAMESPACE);
}

/** Name-based UUID, version 5 (RFC 9562): SHA-1 of the namespace bytes and the name. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
