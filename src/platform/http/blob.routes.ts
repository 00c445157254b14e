import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { DomainError } from '../errors.js';
import type { BlobStorage, StoredBlob } from '../storage/blob-storage.js';
import { verifySignedUrl } from '../storage/signed-url.js';
import type { TypedApp } from './typed-app.js';

const signedQuery = z.object({
  expires: z.string().optional(),
  max: z.string().optional(),
  signature: z.string().optional(),
});

const RANGE_PATTERN = /^bytes=(\d*)-(\d*)$/;

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

function parseRange(header: string | undefined): { start?: number; end?: number } | undefined {
  const match = header ? RANGE_PATTERN.exec(header) : null;
  if (!match) return undefined;
  const [, start, end] = match;
  if (!start && end) return { start: -Number(end) };
  return { ...(start && { start: Number(start) }), ...(end && { end: Number(end) }) };
}

/**
 * What a module that hands out upload URLs learns about uploads to its keys: `beforeUpload` may
 * refuse one (throw a DomainError, e.g. a single-use link already used); `afterUpload` starts the
 * module's work once the blob is stored.
 */
export interface BlobUploadHooks {
  beforeUpload?(key: string): Promise<void>;
  afterUpload?(blob: StoredBlob): Promise<void>;
}

/**
 * Serves and accepts blobs through HMAC-signed, expiring URLs handed out by Parley itself
 * (recordings to play, uploads to receive). No credentials: the signature is the permission.
 */
export function registerBlobRoutes(
  app: TypedApp,
  deps: { storage: BlobStorage; signingSecret: string; uploadHooks?: BlobUploadHooks[] },
): void {
  void app.register((scoped, _options, done) => {
    // Uploads stream to storage as they arrive; the size cap is the signed URL's, enforced while writing.
    scoped.addContentTypeParser('*', (_request, payload, parse) => parse(null, payload));
    scoped.get('/blobs/*', { schema: { hide: true } }, (request, reply) => serveBlob(request, reply, deps));
    scoped.put(
      '/blobs/*',
      { schema: { hide: true }, bodyLimit: Number.MAX_SAFE_INTEGER },
      async (request, reply) => {
        const { key, maxBytes } = verify(request, 'PUT', deps.signingSecret);
        for (const hooks of deps.uploadHooks ?? []) await hooks.beforeUpload?.(key);
        const stored = await deps.storage.put(key, request.body as Readable, {
          contentType: request.headers['content-type'],
          ...(maxBytes !== undefined && { maxBytes }),
        });
        for (const hooks of deps.uploadHooks ?? []) await hooks.afterUpload?.(stored);
        return reply.status(201).send({ key: stored.key, size: stored.size, sha256: stored.sha256 });
      },
    );
    done();
  });
}

async function serveBlob(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { storage: BlobStorage; signingSecret: string },
) {
  const { key } = verify(request, 'GET', deps.signingSecret);
  const stat = await deps.storage.stat(key);
  if (!stat) throw new DomainError('NOT_FOUND', 'Blob not found');
  const range = parseRange(request.headers.range);
  void reply.header('accept-ranges', 'bytes').type(stat.contentType);
  if (!range) return reply.header('content-length', stat.size).send(await deps.storage.stream(key));
  const start =
    range.start !== undefined && range.start < 0 ? Math.max(0, stat.size + range.start) : (range.start ?? 0);
  const end = Math.min(range.end ?? stat.size - 1, stat.size - 1);
  if (start > end || start >= stat.size) {
    return reply.status(416).header('content-range', `bytes */${stat.size}`).send();
  }
  return reply
    .status(206)
    .header('content-range', `bytes ${start}-${end}/${stat.size}`)
    .header('content-length', end - start + 1)
    .send(await deps.storage.stream(key, { start, end }));
}
