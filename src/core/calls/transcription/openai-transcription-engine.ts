import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { AudioToolkit, PcmWavFile } from '../audio/audio-toolkit.js';
import type {
  EngineAvailability,
  TranscriptionEngine,
  TranscriptionResult,
  TranscriptSegmentResult,
} from '../engines.js';
import { postForJson, type OpenAiCompatibleTarget } from './openai-compatible-http.js';

export interface OpenAiTranscriptionOptions extends Partial<OpenAiCompatibleTarget> {
  baseUrl?: string | undefined;
  model: string;
  /** Splits dual-channel recordings into one upload per channel when given (and ffmpeg is there). */
  audio?: AudioToolkit;
}

const verboseJson = z.object({
  language: z.string().nullish(),
  text: z.string().nullish(),
  duration: z.number().nullish(),
  segments: z
    .array(
      z.object({
        start: z.number(),
        end: z.number(),
        text: z.string(),
        // Whisper reports these per segment; turned into a 0..1 confidence when present.
        avg_logprob: z.number().nullish(),
        no_speech_prob: z.number().nullish(),
        speaker: z.string().nullish(),
      }),
    )
    .nullish(),
});

/** Whisper answers with language names ("english"); calls store ISO codes where we know them. */
const LANGUAGE_CODES: Record<string, string> = {
  english: 'en',
  french: 'fr',
  german: 'de',
  spanish: 'es',
  italian: 'it',
  portuguese: 'pt',
  dutch: 'nl',
  japanese: 'ja',
  chinese: 'zh',
};

/**
 * Any server speaking OpenAI's `POST /v1/audio/transcriptions` (OpenAI, whisper.cpp server,
 * faster-whisper-server, LocalAI). `verbose_json` gives timed segments; a server that only
 * returns `text` yields one segment spanning the recording.
 */
export function createOpenAiTranscriptionEngine(options: OpenAiTranscriptionOptions): TranscriptionEngine {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;

  function availability(): Promise<EngineAvailability> {
    if (options.baseUrl === undefined) {
      return Promise.resolve({
        available: false,
        reason:
          'PARLEY_TRANSCRIPTION_ENGINE=openai needs PARLEY_TRANSCRIPTION_URL (an OpenAI-compatible server)',
      });
    }
    return Promise.resolve({ available: true });
  }

  async function transcribe(
    input: Parameters<TranscriptionEngine['transcribe']>[0],
  ): Promise<TranscriptionResult> {
    const baseUrl = options.baseUrl;
    if (baseUrl === undefined) throw new Error((await availability()).reason);
    const workDir = await mkdtemp(join(tmpdir(), 'parley-stt-upload-'));
    try {
      const uploads = await uploadsFor(input, workDir);
      let language: string | null = null;
      const segments: TranscriptSegmentResult[] = [];
      // One request per channel, one after the other: servers such as whisper.cpp handle one at a time.
      for (const upload of uploads) {
        const result = await transcribeFile(baseUrl, upload, input);
        language ??= result.language;
        segments.push(...result.segments);
      }
      segments.sort((a, b) => a.startSeconds - b.startSeconds || (a.channel ?? 0) - (b.channel ?? 0));
      return { language: language ?? input.language, segments };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /**
   * A dual-channel call is sent as one compact file per channel, so each side becomes its own
   * speaker; without ffmpeg (or for mono) the recording goes up as it is.
   */
  async function uploadsFor(
    input: Parameters<TranscriptionEngine['transcribe']>[0],
    workDir: string,
  ): Promise<PcmWavFile[]> {
    const audio = options.audio;
    if (input.audio.channels <= 1 || audio === undefined || !(await audio.availability()).available) {
      return [{ path: input.filePath, channel: null }];
    }
    return audio.toSpeechMp3(input.filePath, join(workDir, 'channel.mp3'), {
      splitChannels: true,
      channels: input.audio.channels,
      signal: input.signal,
    });
  }

  async function transcribeFile(
    baseUrl: string,
    upload: PcmWavFile,
    input: Parameters<TranscriptionEngine['transcribe']>[0],
  ): Promise<TranscriptionResult> {
    const form = new FormData();
    form.set('file', await openAsBlob(upload.path), basename(upload.path));
    form.set('model', options.model);
    form.set('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'segment');
    if (input.language !== null) form.set('language', input.language.split(/[-_]/)[0] ?? input.language);

    const answer = await postForJson(
      { baseUrl, apiKey: options.apiKey, timeoutMs },
      '/audio/transcriptions',
      form,
      'The transcription server',
      input.signal,
    );
    const parsed = verboseJson.safeParse(answer);
    if (!parsed.success) {
      throw new Error(
        `The transcription server's answer is not verbose_json: ${parsed.error.issues[0]?.message}`,
      );
    }
    const segments: TranscriptSegmentResult[] = (parsed.data.segments ?? [])
      .filter((segment) => segment.text.trim().length > 0)
      .map((segment) => ({
        channel: upload.channel,
        speakerLabel: segment.speaker ?? null,
        startSeconds: segment.start,
        endSeconds: segment.end,
        text: segment.text.trim(),
        confidence:
          segment.avg_logprob === null || segment.avg_logprob === undefined
            ? null
            : Math.round(Math.min(1, Math.exp(segment.avg_logprob)) * 1000) / 1000,
      }));
    const text = parsed.data.text?.trim() ?? '';
    if (segments.length === 0 && text.length > 0) {
      segments.push({
        channel: upload.channel,
        speakerLabel: null,
        startSeconds: 0,
        endSeconds: parsed.data.duration ?? input.audio.durationSeconds,
        text,
        confidence: null,
      });
    }
    return { language: languageCode(parsed.data.language), segments };
  }

  return { name: 'openai', availability, transcribe };
}

function languageCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.length === 0) return null;
  const lower = value.toLowerCase();
  return LANGUAGE_CODES[lower] ?? (lower.length <= 3 ? lower : value);
}
