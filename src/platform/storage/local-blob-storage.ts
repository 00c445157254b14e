import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  BlobNotFoundError,
  InvalidBlobKeyError,
  normalizeContentType,
  resolveBlobRange,
  validateBlobKey,
  type BlobRange,
  type BlobStat,
  type BlobStorage,
  type PutBlobOptions,
  type SignedUrlOptions,
  type StoredBlob,
} from './blob-storage.js';
import { normalizeFileName } from './file-names.js';
import { errorCode, isAbsent, removeFilesOlderThan, writeAndHash } from './files.js';
import { createSignedUrl } from './signed-url.js';

export interface LocalBlobStorageOptions {
  /** Usually `blobRoot(config.PARLEY_DATA_DIR)`. */
  root: string;
  /** Base of signed URLs, usually `publicUrl(config)`. */
  publicUrl: string;
  signingSecret: string;
  /** Injectable clock for signed URL expiry. */
  now?: () => Date;
}

export function blobRoot(dataDir: string): string {
  return path.resolve(dataDir, 'blobs');
}

const metaSchema = z.object({
  contentType: z.string(),
  sha256: z.string(),
  createdAt: z.iso.datetime(),
  fileName: z.string().optional(),
});
type BlobMeta = z.infer<typeof metaSchema>;

/**
 * Blobs as files. Three trees under the root: `data/<key>` holds the content, `meta/<key>.json` the
 * content type and hash (a separate tree, so no key can collide with another key's sidecar), and
 * `tmp/` the uploads in progress. `tmp` sits on the same filesystem, so the final rename is atomic:
 * a crash or a failing stream never leaves a partial file under a key.
 */
export class LocalBlobStorage implements BlobStorage {
  private readonly root: string;

  constructor(private readonly options: LocalBlobStorageOptions) {
    this.root = path.resolve(options.root);
  }

  async put(key: string, data: Buffer | Readable, options: PutBlobOptions = {}): Promise<StoredBlob> {
    validateBlobKey(key);
    const contentType = normalizeContentType(options.contentType);
    await mkdir(this.tempDir(), { recursive: true });
    const dataTemp = this.tempPath();
    const metaTemp = this.tempPath();
    try {
      const { size, sha256 } = await writeAndHash(data, dataTemp, options.maxBytes);
      const meta: BlobMeta = {
        contentType,
        sha256,
        createdAt: new Date().toISOString(),
        ...(options.fileName !== undefined && { fileName: normalizeFileName(options.fileName) }),
      };
      await writeFile(metaTemp, JSON.stringify(meta), { flag: 'wx' });
      await this.moveIntoPlace(key, dataTemp, metaTemp);
      return { key, size, sha256, contentType };
    } finally {
      // After a successful rename these are gone already; after a failure they are the only debris.
      await Promise.all([rm(dataTemp, { force: true }), rm(metaTemp, { force: true })]);
    }
  }

  async get(key: string): Promise<Buffer> {
    validateBlobKey(key);
    try {
      return await readFile(this.dataPath(key));
    } catch (error) {
      throw isAbsent(error) ? new BlobNotFoundError() : error;
    }
  }

  async stream(key: string, range: BlobRange = {}): Promise<Readable> {
    validateBlobKey(key);
    const handle = await open(this.dataPath(key), 'r').catch((error: unknown) => {
      throw isAbsent(error) ? new BlobNotFoundError() : error;
    });
    try {
      const info = await handle.stat();
      // Opening a folder succeeds on Linux; a key that is only a prefix of other keys is not a blob.
      if (!info.isFile()) throw new BlobNotFoundError();
      const { start, end } = resolveBlobRange(range, info.size);
      return handle.createReadStream({ start, end });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    validateBlobKey(key);
    const info = await stat(this.dataPath(key)).catch((error: unknown) => {
      if (isAbsent(error)) return null;
      throw error;
    });
    if (!info?.isFile()) return null;
    const meta = await this.readMeta(key);
    return {
      size: info.size,
      contentType: meta?.contentType ?? normalizeContentType(undefined),
      createdAt: meta ? new Date(meta.createdAt) : info.mtime,
      ...(meta?.fileName !== undefined && { fileName: meta.fileName }),
    };
  }

  async delete(key: string): Promise<boolean> {
    validateBlobKey(key);
    try {
      await unlink(this.dataPath(key));
    } catch (error) {
      // EPERM is what macOS says for unlinking a folder.
      if (isAbsent(error) || errorCode(error) === 'EPERM') return false;
      throw error;
    }
    await rm(this.metaPath(key), { force: true });
    return true;
  }

  signedUrl(key: string, options: SignedUrlOptions): string {
    return createSignedUrl(
      { ...options, key, publicUrl: this.options.publicUrl, now: this.options.now?.() ?? new Date() },
      this.options.signingSecret,
    );
  }

  /** Removes uploads abandoned by a crash; call at boot. Recent files may belong to uploads in progress. */
  removeStaleTempFiles(olderThanMs = 60 * 60 * 1000): Promise<number> {
    return removeFilesOlderThan(this.tempDir(), Date.now() - olderThanMs);
  }

  /**
   * Content first, then its metadata. A crash between the two renames leaves the new content
   * with the previous content type, never a partial file.
   */
  private async moveIntoPlace(key: string, dataTemp: string, metaTemp: string): Promise<void> {
    const dataPath = this.dataPath(key);
    const metaPath = this.metaPath(key);
    try {
      await mkdir(path.dirname(dataPath), { recursive: true });
      await rename(dataTemp, dataPath);
    } catch (error) {
      // Files cannot be folders: "a" and "a/b" cannot both exist here (S3 would allow it).
      const code = errorCode(error);
      if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') {
        throw new InvalidBlobKeyError(
          'conflicts with an existing key: a key cannot also be a folder of keys',
        );
      }
      throw error;
    }
    await mkdir(path.dirname(metaPath), { recursive: true });
    await rename(metaTemp, metaPath);
  }

  private async readMeta(key: string): Promise<BlobMeta | undefined> {
    try {
      const parsed = metaSchema.safeParse(JSON.parse(await readFile(this.metaPath(key), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private dataPath(key: string): string {
    return this.inside(path.join(this.root, 'data'), key);
  }

  private metaPath(key: string): string {
    return this.inside(path.join(this.root, 'meta'), `${key}.json`);
  }

  /** Defence in depth behind key validation: the resolved path must stay under its tree. */
  private inside(tree: string, relative: string): string {
    const resolved = path.resolve(tree, relative);
    if (!resolved.startsWith(tree + path.sep)) throw new InvalidBlobKeyError('escapes the storage root');
    return resolved;
  }

  private tempDir(): string {
    return path.join(this.root, 'tmp');
  }

  private tempPath(): string {
    return path.join(this.tempDir(), randomUUID());
  }
}

export function createLocalBlobStorage(options: LocalBlobStorageOptions): LocalBlobStorage {
  return new LocalBlobStorage(options);
}
