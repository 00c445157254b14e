import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import {
  BlobNotFoundError,
  BlobTooLargeError,
  InvalidBlobKeyError,
  InvalidBlobRangeError,
  type BlobStorage,
} from './blob-storage.js';
import { createLocalBlobStorage } from './local-blob-storage.js';
import { verifySignedUrl } from './signed-url.js';

const secret = 'test-secret-0123456789';

/** Emits some bytes, then fails: what a dropped upload looks like. */
function failingStream(): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.from('partial content'));
        return;
      }
      this.destroy(new Error('connection reset'));
    },
  });
}

describe('local blob storage', () => {
  let root: string;
  let storage: BlobStorage;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'parley-blobs-'));
    storage = createLocalBlobStorage({ root, publicUrl: 'https://parley.test/', signingSecret: secret });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores a buffer and reads it back with its size, hash and content type', async () => {
    const content = Buffer.from('hello, caller');

    const stored = await storage.put('recordings/1/call.txt', content, { contentType: 'text/plain' });

    expect(stored).toEqual({
      key: 'recordings/1/call.txt',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      contentType: 'text/plain',
    });
    expect(await storage.get('recordings/1/call.txt')).toEqual(content);
    const stat = await storage.stat('recordings/1/call.txt');
    expect(stat).toMatchObject({ size: content.length, contentType: 'text/plain' });
    expect(stat?.createdAt).toBeInstanceOf(Date);
  });

  it('streams a many-chunk readable in and defaults the content type', async () => {
    const chunks = Array.from({ length: 64 }, (_, index) => Buffer.alloc(16 * 1024, index));
    const whole = Buffer.concat(chunks);

    const stored = await storage.put('big.bin', Readable.from(chunks));

    expect(stored.size).toBe(whole.length);
    expect(stored.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
    expect(stored.contentType).toBe('application/octet-stream');
    // Buffer.equals: a deep toEqual over a megabyte takes seconds.
    expect((await storage.get('big.bin')).equals(whole)).toBe(true);
  });

  it('streams a whole blob or an inclusive byte range of it', async () => {
    await storage.put('audio.wav', Buffer.from('0123456789'));

    expect(await text(await storage.stream('audio.wav'))).toBe('0123456789');
    expect(await text(await storage.stream('audio.wav', { start: 2, end: 5 }))).toBe('2345');
    expect(await text(await storage.stream('audio.wav', { start: 7 }))).toBe('789');
    expect(await text(await storage.stream('audio.wav', { start: 8, end: 1000 }))).toBe('89');
    await expect(storage.stream('audio.wav', { start: 10 })).rejects.toBeInstanceOf(InvalidBlobRangeError);
    await expect(storage.stream('audio.wav', { start: 5, end: 4 })).rejects.toBeInstanceOf(
      InvalidBlobRangeError,
    );
  });

  it('throws BlobNotFoundError for missing keys, and for a key that is only a folder of keys', async () => {
    await storage.put('folder/inner', Buffer.from('x'));

    await expect(storage.get('missing')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(storage.stream('missing')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(storage.get('folder')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(storage.stream('folder')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await storage.stat('missing')).toBeNull();
    expect(await storage.stat('folder')).toBeNull();
    expect(await storage.delete('folder')).toBe(false);
  });

  it('overwrites a key with new content and content type', async () => {
    await storage.put('doc', Buffer.from('first'), { contentType: 'text/plain' });
    await storage.put('doc', Buffer.from('second version'), { contentType: 'application/json' });

    expect((await storage.get('doc')).toString()).toBe('second version');
    expect(await storage.stat('doc')).toMatchObject({ size: 14, contentType: 'application/json' });
  });

  it('deletes a blob and reports whether there was one', async () => {
    await storage.put('gone.txt', Buffer.from('bye'));

    expect(await storage.delete('gone.txt')).toBe(true);
    expect(await storage.delete('gone.txt')).toBe(false);
    expect(await storage.stat('gone.txt')).toBeNull();
    await expect(storage.get('gone.txt')).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('writes atomically: a failing stream leaves the previous content and no partial file', async () => {
    await storage.put('kept.txt', Buffer.from('original'));

    await expect(storage.put('kept.txt', failingStream())).rejects.toThrow('connection reset');
    await expect(storage.put('new.txt', failingStream())).rejects.toThrow('connection reset');

    expect((await storage.get('kept.txt')).toString()).toBe('original');
    expect(await storage.stat('new.txt')).toBeNull();
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('removes temp files abandoned by a crash, but not recent ones', async () => {
    const local = createLocalBlobStorage({ root, publicUrl: 'https://parley.test', signingSecret: secret });
    await mkdir(path.join(root, 'tmp'), { recursive: true });
    await writeFile(path.join(root, 'tmp', 'abandoned'), 'half an upload');
    await utimes(path.join(root, 'tmp', 'abandoned'), new Date(0), new Date(0));
    await writeFile(path.join(root, 'tmp', 'in-progress'), 'uploading');

    expect(await local.removeStaleTempFiles()).toBe(1);
    expect(await readdir(path.join(root, 'tmp'))).toEqual(['in-progress']);
  });

  it('refuses a stream longer than maxBytes and stores nothing', async () => {
    const upload = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);

    await expect(storage.put('limited.bin', upload, { maxBytes: 1000 })).rejects.toBeInstanceOf(
      BlobTooLargeError,
    );

    expect(await storage.stat('limited.bin')).toBeNull();
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it.each([
    ['../escape'],
    ['a/../../etc/passwd'],
    ['/etc/passwd'],
    ['a//b'],
    ['a/./b'],
    ['.'],
    ['trailing/'],
    ['back\\slash'],
    ['space here'],
    ['x'.repeat(513)],
    [''],
  ])('refuses the key %j everywhere', async (key) => {
    await expect(storage.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(storage.stream(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(storage.stat(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    expect(() => storage.signedUrl(key, { expiresInSeconds: 60 })).toThrow(InvalidBlobKeyError);
  });

  it('refuses a key that would turn an existing blob into a folder', async () => {
    await storage.put('a', Buffer.from('file'));

    await expect(storage.put('a/b', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
    expect((await storage.get('a')).toString()).toBe('file');
  });

  it('refuses a content type with control characters', async () => {
    await expect(
      storage.put('x', Buffer.from('x'), { contentType: 'text/plain\r\nX-Evil: 1' }),
    ).rejects.toThrow('Invalid content type');
  });

  it('hands out signed URLs that verify for the same key and method', () => {
    const url = new URL(
      storage.signedUrl('recordings/7.wav', { expiresInSeconds: 300, method: 'PUT', maxBytes: 5000 }),
    );

    expect(url.origin + url.pathname).toBe('https://parley.test/blobs/recordings/7.wav');
    const verdict = verifySignedUrl(
      {
        method: 'PUT',
        key: 'recordings/7.wav',
        expires: url.searchParams.get('expires') ?? undefined,
        max: url.searchParams.get('max') ?? undefined,
        signature: url.searchParams.get('signature') ?? undefined,
      },
      secret,
    );
    expect(verdict).toMatchObject({ ok: true, method: 'PUT', key: 'recordings/7.wav', maxBytes: 5000 });
  });
});
