import type { Readable } from 'node:stream';
import { DomainError } from '../errors.js';

/**
 * Blob storage: recordings, attachments, exports. Every backend (local files now,
 * S3-compatible later) implements this interface, so callers never see paths or buckets.
 */
export interface BlobStorage {
  /** Streams `data` into `key`, replacing any previous blob atomically. */
  put(key: string, data: Buffer | Readable, options?: PutBlobOptions): Promise<StoredBlob>;
  /** Reads a whole blob; throws BlobNotFoundError. Prefer `stream` for anything large. */
  get(key: string): Promise<Buffer>;
  /**
   * Streams a blob or a byte range of it; throws BlobNotFoundError or InvalidBlobRangeError.
   * The caller must consume or destroy the stream: it holds an open file or connection until then.
   */
  stream(key: string, range?: BlobRange): Promise<Readable>;
  stat(key: string): Promise<BlobStat | null>;
  /** Resolves to false when there was nothing to delete. */
  delete(key: string): Promise<boolean>;
  /** A URL that lets its holder GET (or PUT) this one key until it expires, without a token. */
  signedUrl(key: string, options: SignedUrlOptions): string;
}

export interface PutBlobOptions {
  contentType?: string;
  /**
   * The name a download is saved under (Content-Disposition), normalized on the way in. Only ever
   * kept as metadata: a client's file name never becomes part of a key or a path.
   */
  fileName?: string;
  /** Refuses (BlobTooLargeError, nothing stored) a stream longer than this: enforces a signed PUT's `max`. */
  maxBytes?: number;
}

export interface StoredBlob {
  key: string;
  size: number;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
  contentType: string;
}

/** Inclusive byte offsets, as in an HTTP Range header; `end` past the last byte is clamped. */
export interface BlobRange {
  start?: number;
  end?: number;
}

export interface BlobStat {
  size: number;
  contentType: string;
  createdAt: Date;
  /** The normalized file name given on upload, if any. */
  fileName?: string;
}

export type SignedUrlMethod = 'GET' | 'PUT';

export interface SignedUrlOptions {
  expiresInSeconds: number;
  method?: SignedUrlMethod;
  /** For PUT: the largest upload the URL accepts. */
  maxBytes?: number;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
export const MAX_BLOB_KEY_LENGTH = 512;

export class InvalidBlobKeyError extends DomainError {
  constructor(reason: string) {
    super('VALIDATION_FAILED', `Invalid blob key: ${reason}`, [{ path: 'key', message: reason }]);
    this.name = 'InvalidBlobKeyError';
  }
}

export class BlobNotFoundError extends DomainError {
  constructor() {
    super('NOT_FOUND', 'Blob not found');
    this.name = 'BlobNotFoundError';
  }
}

export class BlobTooLargeError extends DomainError {
  constructor(readonly maxBytes: number) {
    super('PAYLOAD_TOO_LARGE', `Blob is larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/**
 * The bytes are not what the upload claims to be (an HTML page sent as audio/mpeg). Thrown by
 * whoever inspects an upload's first bytes; an HTTP route answers 415 with this message.
 */
export class BlobContentRefusedError extends DomainError {
  constructor(message: string) {
    super('VALIDATION_FAILED', message, [{ path: 'body', message }]);
    this.name = 'BlobContentRefusedError';
  }
}

/** Carries the blob size so an HTTP route can answer 416 with `Content-Range: bytes *\/size`. */
export class InvalidBlobRangeError extends DomainError {
  constructor(readonly size: number) {
    super('VALIDATION_FAILED', `Byte range not satisfiable for a blob of ${size} bytes`);
    this.name = 'InvalidBlobRangeError';
  }
}

const KEY_CHARACTERS = /^[A-Za-z0-9/_.-]+$/;

/** Why `key` is not acceptable, or undefined when it is. Keys map to file paths, so they must never escape the root. */
export function blobKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'must be a non-empty string';
  if (key.length > MAX_BLOB_KEY_LENGTH) return `must be at most ${MAX_BLOB_KEY_LENGTH} characters`;
  if (!KEY_CHARACTERS.test(key)) return 'may only contain A-Z a-z 0-9 / _ . -';
  if (key.includes('..')) return 'must not contain ".."';
  if (key.startsWith('/')) return 'must not start with "/"';
  // Empty or "." segments would make two keys name one file ("a//b", "a/./b") or name a folder ("a/").
  if (key.split('/').some((segment) => segment === '' || segment === '.')) {
    return 'must not contain empty or "." segments';
  }
  return undefined;
}

export function validateBlobKey(key: string): void {
  const problem = blobKeyProblem(key);
  if (problem !== undefined) throw new InvalidBlobKeyError(problem);
}

/** The content type is echoed back as a response header, so control characters (header injection) are refused. */
export function normalizeContentType(contentType: string | undefined): string {
  if (contentType === undefined || contentType.trim() === '') return DEFAULT_CONTENT_TYPE;
  if (!/^[\x20-\x7e]{3,255}$/.test(contentType) || !contentType.includes('/')) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid content type', [
      { path: 'contentType', message: 'must be a printable MIME type of at most 255 characters' },
    ]);
  }
  return contentType.trim();
}

/**
 * Turns an optional range into inclusive offsets within a blob of `size` bytes.
 * No range means the whole blob (even when empty); `end` past the last byte is clamped.
 */
export function resolveBlobRange(range: BlobRange, size: number): { start: number; end: number | undefined } {
  if (range.start === undefined && range.end === undefined) return { start: 0, end: undefined };
  const start = range.start ?? 0;
  const last = size - 1;
  const end = Math.min(range.end ?? last, last);
  const valid =
    Number.isSafeInteger(start) &&
    start >= 0 &&
    start <= last &&
    (range.end === undefined || (Number.isSafeInteger(range.end) && range.end >= start));
  if (!valid) throw new InvalidBlobRangeError(size);
  return { start, end };
}
