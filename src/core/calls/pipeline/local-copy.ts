import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobStorage } from '../../../platform/storage/blob-storage.js';

/**
 * Decoders and recognizers want a file path; storage may be a bucket. The copy lives in its own
 * temporary folder and is removed whatever `work` does.
 */
export async function withLocalCopy<T>(
  storage: BlobStorage,
  key: string,
  work: (filePath: string) => Promise<T>,
): Promise<T> {
  const folder = await mkdtemp(path.join(tmpdir(), 'parley-call-'));
  try {
    const filePath = path.join(folder, path.basename(key));
    await pipeline(await storage.stream(key), createWriteStream(filePath));
    return await work(filePath);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
