import { createHash } from 'node:crypto';

/**
 * Namespace of every contentId: uuidv5(NAMESPACE_URL, 'urn:genstream:content'). Fixed for ever:
 * changing it would give a redelivered request a new contentId and duplicate its content downstream.
 */
export const CONTENT_ID_NAMESPACE = '1f367696-c5df-5cc0-8c28-efa987c05607';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Name-based UUID, version 5 (RFC 9562 section 5.5): SHA-1 of namespace bytes and name. */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new RangeError(`namespace must be a UUID, got "${namespace}"`);
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

/**
 * The contentId of a request's answer. Derived from the requestId alone, so every delivery of the
 * same request (redelivery, retried POST, another instance) names the same content and the
 * writers' idempotent inserts keep one copy. Request ids are compared lowercase.
 */
export function contentIdOf(requestId: string): string {
  return uuidV5(requestId.toLowerCase(), CONTENT_ID_NAMESPACE);
}

export function isUuid(text: string): boolean {
  return UUID.test(text);
}
