import { createHash } from 'node:crypto';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import type { EmailTemplate } from '../../core/media/email-templates.js';
import { mediaJobView, type JobView } from '../../core/media/media-jobs.js';
import type { MediaItemRow, MediaJobRow } from '../../core/media/media.tables.js';
import type { MediaPhoneId } from '../../core/media/media-phone-id.js';
import { TTS_VOICES } from '../../core/media/tts.js';
import { encodeHash } from './hash-ids.js';

/** How long a media's MP3 URL works: a day, like a signed link to any recording. */
export const MEDIA_URL_SECONDS = 24 * 60 * 60;

/** CALLR's `Media.Library` object. */
export interface CallrMedia {
  category: string[];
  content: string;
  duration: number;
  hash: string;
  id: number;
  is_editable: boolean;
  language: string[];
  name: string;
  status: string;
  tags: Record<string, string[]>;
  url: string;
  voice: string;
}

/**
 * `url` is a signed link to the MP3 ("" until the media has audio); `voice` is "" unless the audio
 * was synthesized; `duration` is in whole seconds (rounded).
 */
export function toCallrMedia(row: MediaItemRow, storage: Pick<BlobStorage, 'signedUrl'>): CallrMedia {
  return {
    category: row.categories,
    content: row.content,
    duration: Math.round(row.durationMs / 1000),
    hash: encodeHash('media', row.id),
    id: row.id,
    is_editable: true,
    language: row.languages,
    name: row.name,
    status: row.status,
    tags: row.tags,
    url:
      row.blobKey === null
        ? ''
        : storage.signedUrl(row.blobKey, { method: 'GET', expiresInSeconds: MEDIA_URL_SECONDS }),
    voice: row.voice ?? '',
  };
}

/** CALLR's `Job` object. */
export function toCallrJob(row: MediaJobRow): JobView {
  return mediaJobView(row);
}

/** CALLR's `Media.PhoneID`. */
export function toCallrPhoneId(phoneId: MediaPhoneId): { code: string; number: string } {
  return { code: phoneId.code, number: phoneId.number };
}

/** A template's hash: eight hex digits derived from its stable key, like every CALLR hash. */
export function emailTemplateHash(template: Pick<EmailTemplate, 'key'>): string {
  return createHash('sha256')
    .update(`parley-callr-email-template:${template.key}`)
    .digest('hex')
    .slice(0, 8)
    .toUpperCase();
}

/** CALLR's `Media.EmailTemplate`. */
export function toCallrEmailTemplate(template: EmailTemplate): { hash: string; name: string; type: string } {
  return { hash: emailTemplateHash(template), name: template.name, type: template.type };
}

export interface CallrVoiceGroup {
  /** POSIX locale, as `Media.Library.language`. */
  language: string;
  /** Voice ids, as `Media.Library.voice`. */
  voices: string[];
}

/** `media/tts.get_voice_list`: the voices grouped by language (clients read each group's `voices`). */
export function toCallrVoiceList(): CallrVoiceGroup[] {
  const groups = new Map<string, string[]>();
  for (const voice of TTS_VOICES) {
    const voices = groups.get(voice.locale) ?? [];
    voices.push(voice.id);
    groups.set(voice.locale, voices);
  }
  return [...groups].map(([language, voices]) => ({ language, voices }));
}
