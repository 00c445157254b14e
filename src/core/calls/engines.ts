/**
 * The seams of the call-processing pipeline. Audio probing, speech-to-text and summarization
 * each sit behind an interface chosen by configuration, so a local engine and an HTTP engine
 * are interchangeable and tests can tell "not installed" from "broken".
 */

/** What decoding a recording found out about it. */
export interface AudioInfo {
  /** Container/codec family, e.g. 'wav', 'mp3', 'm4a', 'mp4', 'webm', 'mpeg'. */
  format: string;
  durationSeconds: number;
  channels: number;
  sampleRate: number;
}

/** Thrown when a file is not decodable audio; the call fails with this message as its reason. */
export class NotAudioError extends Error {
  override name = 'NotAudioError';
}

export interface AudioProbe {
  /** Decodes enough of the file to measure it; throws NotAudioError for non-audio or truncated files. */
  probe(filePath: string): Promise<AudioInfo>;
}

export interface TranscriptSegmentResult {
  /** 0-based channel for multi-channel recordings (one speaker per channel); null when mixed. */
  channel: number | null;
  /** An engine's own speaker label for mixed audio (diarization), when it has one. */
  speakerLabel: string | null;
  startSeconds: number;
  endSeconds: number;
  text: string;
  /** 0..1 when the engine reports it. */
  confidence: number | null;
}

export interface TranscriptionResult {
  language: string | null;
  segments: TranscriptSegmentResult[];
}

export interface EngineAvailability {
  available: boolean;
  /** Why not, in words a user can act on ("pocketsphinx is not installed: apt-get install ..."). */
  reason?: string;
}

export interface TranscriptionEngine {
  readonly name: string;
  availability(): Promise<EngineAvailability>;
  transcribe(input: {
    filePath: string;
    audio: AudioInfo;
    language: string | null;
    signal?: AbortSignal;
  }): Promise<TranscriptionResult>;
}

export interface SummaryInputSegment {
  speaker: string;
  startSeconds: number;
  endSeconds: number;
  text: string;
}

export interface SummaryResult {
  summary: string;
  highlights: { text: string; startSeconds: number; endSeconds: number; speaker: string | null }[];
  topics: { name: string; score: number; startSeconds: number | null }[];
  /** Set when there was nothing to summarize (an empty or silent transcript); the other fields are empty. */
  note?: string;
}

export interface SummaryEngine {
  readonly name: string;
  availability(): Promise<EngineAvailability>;
  summarize(input: {
    title: string | null;
    language: string | null;
    segments: SummaryInputSegment[];
    signal?: AbortSignal;
  }): Promise<SummaryResult>;
}
