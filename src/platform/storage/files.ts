import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobTooLargeError } from './blob-storage.js';

/** File-system helpers for the local blob storage. */

export const errorCode = (error: unknown): string | undefined =>
  (error as NodeJS.ErrnoException | null)?.code;

const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** "No blob there": the path is missing, or a key is a folder of other keys, or lies under a file. */
export function isAbsent(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && ABSENT.has(code);
}

/** Streams into `file` chunk by chunk, hashing and counting on the way; flushed to disk before it resolves. */
export async function writeAndHash(
  data: Buffer | Readable,
  file: string,
  maxBytes: number | undefined,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (maxBytes !== undefined && size > maxBytes) {
        callback(new BlobTooLargeError(maxBytes));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const source = Buffer.isBuffer(data) ? Readable.from([data]) : data;
  const sink = createWriteStream(file, { flags: 'wx', flush: true });
  try {
    await pipeline(source, meter, sink);
  } finally {
    // A source that fails at once can reject the pipeline while the file is still being opened: wait
    // until it is closed, or the caller's clean-up could run before the file exists and miss it.
    if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
  }
  return { size, sha256: hash.digest('hex') };
}

/** Removes the files of `dir` last written before `cutoffMs`; a missing folder has nothing to remove. */
export async function removeFilesOlderThan(dir: string, cutoffMs: number): Promise<number> {
  const names = await readdir(dir).catch(() => []);
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info?.isFile() && info.mtimeMs < cutoffMs) {
      await rm(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}
