import { createHash, randomBytes } from 'node:crypto';

/**
 * An API key is `gsk_<id>_<secret>`: the id (16 hex digits) finds its record, the secret (32 random
 * bytes, base64url) proves it. Only the secret's SHA-256 is stored. A slow password hash (bcrypt,
 * argon2) protects guessable passwords; 256 random bits cannot be guessed, so a fast hash is
 * enough and keeps the check off the request's critical path.
 */
const TOKEN = /^gsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface MintedKey {
  readonly id: string;
  /** Shown once, at creation; never stored. */
  readonly token: string;
  /** What is stored: hex SHA-256 of the secret. */
  readonly secretHash: string;
}

export function mintApiKey(): MintedKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `gsk_${id}_${secret}`, secretHash: hashSecret(secret) };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('gsk_');
}

/** The id and secret of a well-formed key; undefined for anything else. */
export function parseApiKey(token: string): { readonly id: string; readonly secret: string } | undefined {
  const match = TOKEN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
