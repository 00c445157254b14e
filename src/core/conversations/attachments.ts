import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { extensionOfFileName, normalizeFileName } from '../../platform/storage/file-names.js';
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

/**
 * Streams an uploaded file into blob storage before the message transaction opens (a slow upload
 * must not hold row locks). A blob whose message then fails to commit is left unreferenced.
 * The client's file name is only a display name: normalized ("../../etc/evil.html" is
 * "evil.html"), kept with the blob for downloads and on the attachment row, never part of the key.
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
  const fileName = normalizeFileName(input.fileName);
  const extension = extensionOfFileName(fileName);
  const key = `accounts/${input.accountId}/attachments/${randomUUID()}${extension ? `.${extension}` : ''}`;
  const stored = await storage.put(key, input.data, {
    fileName,
    ...(input.contentType ? { contentType: input.contentType } : {}),
    ...(input.maxBytes !== undefined ? { maxBytes: input.maxBytes } : {}),
  });
  return {
    fileType: fileTypeOf(stored.contentType),
    blobKey: stored.key,
    fileName,
    contentType: stored.contentType,
    byteSize: stored.size,
  };
}
