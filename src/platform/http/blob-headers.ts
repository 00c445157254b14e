import { create as formatContentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { DEFAULT_CONTENT_TYPE } from '../storage/blob-storage.js';
import { normalizeFileName } from '../storage/file-names.js';

/**
 * How user files leave Parley. Their bytes and content type come from whoever uploaded them, and
 * they are served from Parley's own origin: an HTML "attachment" rendered inline would run script
 * with the origin's cookies and storage (stored XSS). So a file is shown inline only when its type
 * is one browsers render as media, never as a document (SVG is a document: it runs script); every
 * response forbids sniffing, and a sandboxing CSP disarms whatever a browser still renders.
 */

const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);
const INLINE_FAMILIES = ['audio/', 'video/'];

// RFC 9110 token characters, on both sides of the slash; parameters are dropped (see servedContentType).
const TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]{1,63}";
const SIMPLE_MIME_TYPE = new RegExp(`^${TOKEN}/${TOKEN}$`);

/**
 * Set on every blob response, error answers included, and explicitly per route so that they hold
 * whatever a global security-headers plugin decides for the rest of the API.
 */
export const BLOB_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
  // Signed URLs are bearer links meant to be embedded by clients on other origins (a Chatwoot
  // dashboard showing an image): a same-origin resource policy would break them for no gain.
  'cross-origin-resource-policy': 'cross-origin',
} as const;

/**
 * The type a stored blob is served with: the lower-case `type/subtype` of what was stored, without
 * parameters (a charset is no use to a download, and a parameter is one more place to smuggle
 * text into a header). Anything that is not a plain MIME type becomes application/octet-stream.
 */
export function servedContentType(stored: string | undefined): string {
  const essence = (stored ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return SIMPLE_MIME_TYPE.test(essence) ? essence : DEFAULT_CONTENT_TYPE;
}

/** Whether a browser may show this type in place rather than save it. */
export function isInlineSafe(contentType: string): boolean {
  return INLINE_TYPES.has(contentType) || INLINE_FAMILIES.some((family) => contentType.startsWith(family));
}

/** `inline` or `attachment`, with the file name in both RFC 6266 forms (an ASCII fallback and UTF-8). */
export function contentDispositionFor(contentType: string, fileName: string): string {
  const type = isInlineSafe(contentType) ? 'inline' : 'attachment';
  return formatContentDisposition(normalizeFileName(fileName), { type });
}

export function setBlobSecurityHeaders(reply: FastifyReply): void {
  void reply.headers(BLOB_SECURITY_HEADERS);
}
