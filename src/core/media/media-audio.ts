import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AudioToolkit } from '../calls/audio/audio-toolkit.js';
import { NotAudioError } from '../calls/engines.js';
import { DomainError } from '../../platform/errors.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';

/** The longest media a library keeps: prompts and messages, not call recordings. */
export const MAX_MEDIA_SECONDS = 30 * 60;

/** The audio given as a media's content cannot be used: the face names the param it came from. */
export class MediaContentError extends DomainError {
  constructor(message: string) {
    super('VALIDATION_FAILED', message);
    this.name = 'MediaContentError';
  }
}

export interface StoredMediaAudio {
  blobKey: string;
  sizeBytes: number;
  durationMs: number;
  /** The format the content arrived in (wav, mp3, ...), as measured. */
  sourceFormat: string;
}

export interface MediaAudioDeps {
  storage: BlobStorage;
  audio: AudioToolkit;
}

/** Runs `fn` with a private temporary folder, removed afterwards whatever happens. */
export async function withWorkDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-media-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Checks that `inputPath` is decodable audio (ffprobe + a full decode, so a truncated or fake file
 * is refused), converts it to mono MP3 and stores it under a fresh key of the media. The caller
 * points the media at the returned key and deletes the previous one.
 */
export async function storeMediaAudio(
  deps: MediaAudioDeps,
  input: { accountId: number; mediaId: number; inputPath: string; workDir: string },
): Promise<StoredMediaAudio> {
  const availability = await deps.audio.availability();
  if (!availability.available) {
    throw new DomainError('UNAVAILABLE', `Media audio cannot be processed: ${availability.reason ?? ''}`);
  }
  let info;
  try {
    info = await deps.audio.probe(input.inputPath);
  } catch (error) {
    if (error instanceof NotAudioError) throw new MediaContentError(`not usable audio: ${error.message}`);
    throw error;
  }
  if (info.durationSeconds > MAX_MEDIA_SECONDS) {
    throw new MediaContentError(
      `the audio lasts ${Math.round(info.durationSeconds)} s, more than the ${MAX_MEDIA_SECONDS} s a media may last`,
    );
  }
  const mp3Path = join(input.workDir, `${randomUUID()}.mp3`);
  try {
    await deps.audio.toSpeechMp3(input.inputPath, mp3Path);
  } catch (error) {
    if (error instanceof NotAudioError) throw new MediaContentError(error.message);
    throw error;
  }
  const blobKey = `media/${input.accountId}/${input.mediaId}/${randomUUID()}.mp3`;
  const stored = await deps.storage.put(blobKey, createReadStream(mp3Path), {
    contentType: 'audio/mpeg',
    fileName: `media-${input.mediaId}.mp3`,
  });
  return {
    blobKey,
    sizeBytes: stored.size,
    durationMs: Math.round(info.durationSeconds * 1000),
    sourceFormat: info.format,
  };
}

/** Same, from bytes held in memory (a decoded base64 param). */
export async function storeMediaAudioBytes(
  deps: MediaAudioDeps,
  input: { accountId: number; mediaId: number; bytes: Buffer },
): Promise<StoredMediaAudio> {
  if (input.bytes.length === 0) throw new MediaContentError('the audio is empty');
  return withWorkDir(async (workDir) => {
    const inputPath = join(workDir, 'input');
    await writeFile(inputPath, input.bytes);
    return storeMediaAudio(deps, { ...input, inputPath, workDir });
  });
}
