import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { and, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import type { AudioToolkit } from '../calls/audio/audio-toolkit.js';
import { calls } from '../calls/calls.tables.js';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import {
  MediaContentError,
  storeMediaAudio,
  storeMediaAudioBytes,
  withWorkDir,
  type StoredMediaAudio,
} from './media-audio.js';
import {
  applyMediaContent,
  getMediaItem,
  recordMediaContentFailure,
  type MediaContentChange,
} from './media-items.js';
import { mediaJobs, type MediaItemRow } from './media.tables.js';
import { DEFAULT_TTS_RATE, findTtsVoice, MAX_TTS_TEXT_LENGTH, type TtsEngine } from './tts.js';

/** What setting a media's content needs: the database, blob storage, ffmpeg and espeak-ng. */
export interface MediaContentDeps {
  db: Db;
  storage: BlobStorage;
  audio: AudioToolkit;
  tts: TtsEngine;
}

export const MAX_MEDIA_TEXT_LENGTH = 10_000;

type Described = Omit<MediaContentChange, keyof StoredMediaAudio | 'sourceFormat'>;

/**
 * Checks the media exists, makes and stores its new audio, then points the media at it and removes
 * the audio it replaces. Audio that cannot be used is refused with a reason (and marks a media
 * that has no audio yet as ERROR); the media's current audio is never lost on a failed attempt.
 */
async function replaceContent(
  deps: MediaContentDeps,
  accountId: number,
  id: number,
  described: Described,
  produce: () => Promise<StoredMediaAudio>,
): Promise<MediaItemRow> {
  await getMediaItem(deps.db, accountId, id);
  let stored: StoredMediaAudio;
  try {
    stored = await produce();
  } catch (error) {
    if (error instanceof MediaContentError) {
      await recordMediaContentFailure(deps.db, accountId, id, error.message);
    }
    throw error;
  }
  const { blobKey, sizeBytes, durationMs } = stored;
  const applied = await applyMediaContent(deps.db, accountId, id, {
    ...described,
    blobKey,
    sizeBytes,
    durationMs,
  }).catch(async (error: unknown) => {
    await deps.storage.delete(blobKey);
    throw error;
  });
  if (!applied) {
    await deps.storage.delete(blobKey);
    throw notFound('Media');
  }
  if (applied.replacedKey !== null && applied.replacedKey !== blobKey) {
    await deps.storage.delete(applied.replacedKey);
  }
  return applied.row;
}

function checkText(text: string, max: number): string {
  if (text.length > max) throw new MediaContentError(`the text is longer than ${max} characters`);
  return text;
}

/** `media/library.set_content`: audio sent as bytes, with the text it says. */
export function setMediaContentFromBytes(
  deps: MediaContentDeps,
  accountId: number,
  id: number,
  input: { text: string; bytes: Buffer },
): Promise<MediaItemRow> {
  const content = checkText(input.text, MAX_MEDIA_TEXT_LENGTH);
  return replaceContent(deps, accountId, id, { source: 'AUDIO', content, voice: null, languages: [] }, () =>
    storeMediaAudioBytes(deps, { accountId, mediaId: id, bytes: input.bytes }),
  );
}

/** `media/tts.set_content`: the text spoken by a CALLR voice, at a CALLR rate (1..100). */
export function setMediaTtsContent(
  deps: MediaContentDeps,
  accountId: number,
  id: number,
  input: { text: string; voice: string; rate?: number | undefined },
): Promise<MediaItemRow> {
  const voice = findTtsVoice(input.voice);
  if (!voice) {
    throw new DomainError('VALIDATION_FAILED', `Unknown voice "${input.voice}"`, [
      { path: 'voice', message: 'see media/tts.get_voice_list' },
    ]);
  }
  const text = checkText(input.text.trim(), MAX_TTS_TEXT_LENGTH);
  if (text.length === 0) throw new MediaContentError('the text to speak is empty');
  const availability = deps.tts.availability();
  if (!availability.available) throw new DomainError('UNAVAILABLE', availability.reason ?? 'No TTS engine');
  const described: Described = { source: 'TTS', content: text, voice: voice.id, languages: [voice.locale] };
  return replaceContent(deps, accountId, id, described, () =>
    withWorkDir(async (workDir) => {
      const wav = join(workDir, 'speech.wav');
      await deps.tts.synthesize({ text, voice, rate: input.rate ?? DEFAULT_TTS_RATE, outputPath: wav });
      return storeMediaAudio(deps, { accountId, mediaId: id, inputPath: wav, workDir });
    }),
  );
}

async function copyBlobToFile(storage: BlobStorage, key: string, path: string): Promise<void> {
  await pipeline(await storage.stream(key), createWriteStream(path));
}

/** `media/library.set_content_from_file`: a file imported by `media.import_file_from_base64_async`. */
export async function setMediaContentFromImport(
  deps: MediaContentDeps,
  accountId: number,
  id: number,
  fileName: string,
): Promise<MediaItemRow> {
  await getMediaItem(deps.db, accountId, id);
  const [file] = await deps.db
    .select({ blobKey: mediaJobs.blobKey })
    .from(mediaJobs)
    .where(
      and(
        eq(mediaJobs.accountId, accountId),
        eq(mediaJobs.fileName, fileName),
        eq(mediaJobs.status, 'DONE'),
        isNull(mediaJobs.error),
        gt(mediaJobs.fileExpiresAt, new Date()),
      ),
    );
  const blobKey = file?.blobKey;
  if (blobKey === undefined || blobKey === null) throw notFound('Imported file');
  return replaceContent(
    deps,
    accountId,
    id,
    { source: 'FILE', content: '', voice: null, languages: [] },
    () =>
      withWorkDir(async (workDir) => {
        const inputPath = join(workDir, 'input');
        await copyBlobToFile(deps.storage, blobKey, inputPath);
        return storeMediaAudio(deps, { accountId, mediaId: id, inputPath, workDir });
      }),
  );
}

/** `media/library.set_content_from_recording`: the recording of one of the account's calls. */
export async function setMediaContentFromRecording(
  deps: MediaContentDeps,
  accountId: number,
  id: number,
  callId: number,
): Promise<MediaItemRow> {
  await getMediaItem(deps.db, accountId, id);
  const [call] = await deps.db
    .select({ recordingKey: calls.recordingKey })
    .from(calls)
    .where(
      and(
        eq(calls.accountId, accountId),
        eq(calls.id, callId),
        isNotNull(calls.recordingKey),
        isNull(calls.recordingDeletedAt),
      ),
    );
  const recordingKey = call?.recordingKey;
  if (recordingKey === undefined || recordingKey === null) throw notFound('Recording');
  return replaceContent(
    deps,
    accountId,
    id,
    { source: 'RECORDING', content: '', voice: null, languages: [] },
    () =>
      withWorkDir(async (workDir) => {
        const inputPath = join(workDir, 'input');
        await copyBlobToFile(deps.storage, recordingKey, inputPath);
        return storeMediaAudio(deps, { accountId, mediaId: id, inputPath, workDir });
      }),
  );
}
