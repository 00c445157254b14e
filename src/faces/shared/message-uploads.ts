import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import { storeAttachment, type AttachmentInput } from '../../core/conversations/index.js';

/** Chatwoot's limit per attachment, which every face's message upload keeps. */
export const ATTACHMENT_MAX_BYTES = 40 * 1024 * 1024;

export async function removeBlobs(ctx: AppContext, files: AttachmentInput[]): Promise<void> {
  for (const file of files) if (file.blobKey) await ctx.storage.delete(file.blobKey).catch(() => false);
}

/**
 * Reads a multipart message: file parts are streamed into storage as they arrive (before the
 * message's transaction, so a slow upload holds no row lock), text fields are collected in order,
 * and `build` turns them into the face's body. Whatever fails (the stream, a size limit, `build`'s
 * validation), the files stored so far are removed.
 */
export async function readMessageParts<T>(
  ctx: AppContext,
  request: FastifyRequest,
  accountId: number,
  build: (fields: [string, string][], files: AttachmentInput[]) => T,
): Promise<T> {
  const fields: [string, string][] = [];
  const files: AttachmentInput[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        files.push(
          await storeAttachment(ctx.storage, {
            accountId,
            data: part.file,
            fileName: part.filename || 'file',
            contentType: part.mimetype,
            maxBytes: ATTACHMENT_MAX_BYTES,
          }),
        );
      } else {
        fields.push([part.fieldname, String(part.value)]);
      }
    }
    return build(fields, files);
  } catch (error) {
    await removeBlobs(ctx, files);
    throw error;
  }
}
