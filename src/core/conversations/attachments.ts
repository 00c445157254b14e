import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import type { AttachmentFileType } from './conversations.tables.js';

/** An attachment ready to be linked to a message: a stored blob, an external link or a location. */
export interface AttachmentInput {
  fileType?: AttachmentFileType;
  blobKey?: string | null;
  externalUrl?: string | null;
  fileName?: string | null;
  contentType?: string | null;
  byteSize?: number | null;
  coordinates?: { lat: number; long: number } | null;
}

/** Chatwoot's file_type from a MIME type: image/audio/video by family, anything else a file. */
export function fileTypeOf(contentType: string | null | undefined): AttachmentFileType {
  const family = (contentType ?? '').split('/')[0]?.toLowerCase();
  if (family === 'image' || family === 'audio' || family === 'video') return family;
  return 'file';
}

/** Keys allow only A-Z a-z 0-9 / _ . - : anything else in a client's file name becomes "_". */
function safeFileName(fileName: string): string {
  const cleaned = fileName
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+/, '');
  return (cleaned || 'file').slice(-120);
}

/**
 * Streams an uploaded file into blob storage before the message transaction opens (a slow upload
 * must not hold row locks). A blob whose message then fails to commit is left unreferenced.
 */
export async function storeAttachment(
  storage: BlobStorage,
  input: {
    accountId: number;
    data: Buffer | Readable;
    fileName: string;
    contentType?: string;
    maxBytes?: number;
  },
): Promise<AttachmentInput> {
  const key = `accounts/${input.accountId}/attachments/${randomUUID()}/${safeFileName(input.fileName)}`;
  const stored = await storage.put(key, input.data, {
    ...(input.contentType ? { contentType: input.contentType } : {}),
    ...(input.maxBytes !== undefined ? { maxBytes: input.maxBytes } : {}),
  });
  return {
    fileType: fileTypeOf(stored.contentType),
    blobKey: stored.key,
    fileName: input.fileName,
    contentType: stored.contentType,
    byteSize: stored.size,
  };
}
