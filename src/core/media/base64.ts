/**
 * Strict base64: Node's decoder skips any character it does not know, so "hello world!" would
 * decode to something. Clients may wrap lines, use the URL-safe alphabet or send a data: URI.
 */
const DATA_URI_PREFIX = /^data:[^,]{0,200};base64,/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The bytes of a base64 text, or null when it is not base64. */
export function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(DATA_URI_PREFIX, '').replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}
