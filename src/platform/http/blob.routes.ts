import type { FastifyReply, FastifyRequest } from 'fastify';
import { byteRangeOf } from './byte-range.js';
import { finished, PassThrough, Readable } from 'node:stream';
import { z } from 'zod';
import { DomainError } from '../errors.js';
import {
  BlobContentRefusedError,
  BlobTooLargeError,
  type BlobStorage,
  type StoredBlob,
} from '../storage/blob-storage.js';
import { createHeadCheck } from '../storage/head-check.js';
import { verifySignedUrl } from '../storage/signed-url.js';
import { contentDispositionFor, servedContentType, setBlobSecurityHeaders } from './blob-headers.js';
import { ProblemError } from './problem.js';
import type { TypedApp } from './typed-app.js';

const signedQuery = z.object({
  expires: z.string().optional(),
  max: z.string().optional(),
  signature: z.string().optional(),
});

/** Enough for a sniffer to recognise any common format (file-type reads at most this much). */
const HEAD_CHECK_BYTES = 4100;

function verify(
  request: FastifyRequest,
  method: 'GET' | 'PUT',
  secret: string,
): { key: string; maxBytes: number | undefined } {
  const key = (request.params as { '*': string })['*'];
  const query = signedQuery.parse(request.query);
  const verdict = verifySignedUrl(
    { method, key, expires: query.expires, max: query.max, signature: query.signature },
    secret,
  );
  if (!verdict.ok) {
    const messages = {
      expired: 'This link has expired',
      bad_signature: 'Invalid signature',
      malformed: 'Malformed signed URL',
    };
    throw new DomainError('FORBIDDEN', messages[verdict.reason]);
  }
  return { key: verdict.key, maxBytes: verdict.maxBytes };
}

/** An upload as the hooks see it, before anything is stored. */
export interface BlobUpload {
  key: string;
  /** The uploader's Content-Type, if any. */
  contentType: string | undefined;
}

/**
 * What a module that hands out upload URLs learns about uploads to its keys. Each hook ignores keys
 * that are not its own.
 * - `beforeUpload` may refuse an upload before its body is read (throw a DomainError, e.g. a
 *   single-use link already used) and claims the link when it accepts it;
 * - `checkHead` sees the first bytes before anything is stored, and may refuse them
 *   (BlobContentRefusedError: answered 415);
 * - `afterFailedUpload` runs when an accepted upload was not stored (refused content, too large,
 *   client gone), so the claim can be released and the link used again;
 * - `afterUpload` starts the module's work once the blob is stored.
 */
export interface BlobUploadHooks {
  beforeUpload?(upload: BlobUpload): Promise<void>;
  checkHead?(upload: BlobUpload, head: Buffer): Promise<void>;
  afterFailedUpload?(upload: BlobUpload): Promise<void>;
  afterUpload?(blob: StoredBlob): Promise<void>;
}

interface BlobRouteDeps {
  storage: BlobStorage;
  signingSecret: string;
  uploadHooks?: BlobUploadHooks[];
}

/**
 * Serves and accepts blobs through HMAC-signed, expiring URLs handed out by Parley itself
 * (recordings to play, attachments to download, uploads to receive). No credentials: the signature
 * is the permission.
 */
export function registerBlobRoutes(app: TypedApp, deps: BlobRouteDeps): void {
  void app.register((scoped, _options, done) => {
    // Uploads stream to storage as they arrive; the size cap is the signed URL's, enforced while writing.
    scoped.addContentTypeParser('*', (_request, payload, parse) => parse(null, payload));
    // Set on every answer here, errors included, whatever the server-wide headers are.
    scoped.addHook('onRequest', async (_request, reply) => setBlobSecurityHeaders(reply));
    scoped.addHook('onSend', async (request, reply) => {
      // Refused before its body was read (403, 409, 413, 415): the rest of the body is still on the
      // way, and on a kept-alive socket it would be parsed as the next request, which then hangs.
      if (hasUnreadBody(request)) void reply.header('connection', 'close');
    });
    scoped.get('/blobs/*', { schema: { hide: true } }, (request, reply) => serveBlob(request, reply, deps));
    scoped.put(
      '/blobs/*',
      { schema: { hide: true }, bodyLimit: Number.MAX_SAFE_INTEGER },
      async (request, reply) => {
        const stored = await receiveUpload(request, deps);
        return reply.status(201).send({ key: stored.key, size: stored.size, sha256: stored.sha256 });
      },
    );
    done();
  });
}

function hasUnreadBody(request: FastifyRequest): boolean {
  const { headers } = request;
  const declaresBody =
    headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
  return declaresBody && !request.raw.complete;
}

async function receiveUpload(request: FastifyRequest, deps: BlobRouteDeps): Promise<StoredBlob> {
  const { key, maxBytes } = verify(request, 'PUT', deps.signingSecret);
  const declaredLength = Number(request.headers['content-length']);
  if (maxBytes !== undefined && declaredLength > maxBytes) throw new BlobTooLargeError(maxBytes);
  const upload: BlobUpload = { key, contentType: request.headers['content-type'] };
  const hooks = deps.uploadHooks ?? [];
  const accepted: BlobUploadHooks[] = [];
  let stored: StoredBlob;
  try {
    for (const hook of hooks) {
      await hook.beforeUpload?.(upload);
      accepted.push(hook);
    }
    stored = await deps.storage.put(key, detachedBody(request, upload, hooks, maxBytes), {
      contentType: upload.contentType,
      ...(maxBytes !== undefined && { maxBytes }),
    });
  } catch (error) {
    for (const hook of accepted) {
      await hook.afterFailedUpload?.(upload).catch((releaseError: unknown) => {
        request.log.error({ err: releaseError, key }, 'releasing a failed upload failed');
      });
    }
    throw error instanceof BlobContentRefusedError ? unsupportedMediaType(error) : error;
  }
  for (const hook of hooks) await hook.afterUpload?.(stored);
  return stored;
}

/**
 * The request body, piped (not handed) to storage through the hooks' head checks. Storage destroys
 * its source when it refuses it (too large, wrong content), and destroying the request would
 * destroy its socket before the 4xx is written; piping keeps the request alive for the answer. A
 * client that goes away mid-upload still fails the write.
 */
function detachedBody(
  request: FastifyRequest,
  upload: BlobUpload,
  hooks: BlobUploadHooks[],
  maxBytes: number | undefined,
): Readable {
  const body = request.body instanceof Readable ? request.body : Readable.from([]);
  const checks = hooks.filter((hook) => hook.checkHead !== undefined);
  // Never hold back more than the link allows: one byte over it must reach storage, which refuses it.
  const headBytes = Math.min(HEAD_CHECK_BYTES, (maxBytes ?? Infinity) + 1);
  const target =
    checks.length === 0
      ? new PassThrough()
      : createHeadCheck(headBytes, async (head) => {
          for (const hook of checks) await hook.checkHead?.(upload, head);
        });
  // Storage attaches its own listeners only after preparing its temp file; an error before that (a
  // small body refused at once, a client gone) must not go unhandled. It is not lost either: the
  // stream stays errored, and storage's pipeline rejects with that error as soon as it attaches.
  target.on('error', () => undefined);
  body.pipe(target);
  finished(body, (error) => {
    if (error) target.destroy(error);
  });
  return target;
}

function unsupportedMediaType(error: BlobContentRefusedError): ProblemError {
  return new ProblemError({
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: error.message,
    details: error.details,
  });
}

async function serveBlob(request: FastifyRequest, reply: FastifyReply, deps: BlobRouteDeps) {
  const { key } = verify(request, 'GET', deps.signingSecret);
  const stat = await deps.storage.stat(key);
  if (!stat) throw new DomainError('NOT_FOUND', 'Blob not found');
  const contentType = servedContentType(stat.contentType);
  const fileName = stat.fileName ?? key.slice(key.lastIndexOf('/') + 1);
  void reply
    .header('accept-ranges', 'bytes')
    .header('content-disposition', contentDispositionFor(contentType, fileName))
    .type(contentType);
  const range = byteRangeOf(request.headers.range, stat.size);
  if (range === undefined)
    return reply.header('content-length', stat.size).send(await deps.storage.stream(key));
  if (range === null) return reply.status(416).header('content-range', `bytes */${stat.size}`).send();
  const { start, end } = range;
  return reply
    .status(206)
    .header('content-range', `bytes ${start}-${end}/${stat.size}`)
    .header('content-length', end - start + 1)
    .send(await deps.storage.stream(key, { start, end }));
}
