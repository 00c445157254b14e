import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseFile } from 'music-metadata';
import { z } from 'zod';
import type { AudioInfo, AudioProbe, EngineAvailability } from '../engines.js';
import { NotAudioError } from '../engines.js';
import { formatNameFromContainer, formatNameOf } from './audio-format.js';
import { findExecutable, runTool, stderrTail } from './run-tool.js';
import { readWavDeclaration } from './wav-header.js';

/** One 16 kHz mono 16-bit wav made from a recording; `channel` is null when the channels were mixed. */
export interface PcmWavFile {
  path: string;
  channel: number | null;
}

export interface ToPcmWavOptions {
  /** One file per channel, so each side of a dual-channel call is transcribed as its own speaker. */
  splitChannels?: boolean;
  /** The recording's channel count when already probed; measured otherwise. */
  channels?: number;
  signal?: AbortSignal;
}

export interface AudioToolkit extends AudioProbe {
  /** As AudioProbe's, and cancellable: measuring decodes the whole recording. */
  probe(filePath: string, options?: { signal?: AbortSignal }): Promise<AudioInfo>;
  /** Whether recordings can be decoded and converted (ffmpeg present). Probing degrades without it. */
  availability(): Promise<EngineAvailability>;
  /**
   * Converts any supported recording to 16 kHz mono 16-bit PCM wav at `outputPath`, or with
   * `splitChannels` to `<outputPath minus .wav>.ch<N>.wav`, one per channel.
   */
  toPcmWav(inputPath: string, outputPath: string, options?: ToPcmWavOptions): Promise<PcmWavFile[]>;
  /** The same, as compact 16 kHz mono mp3 (`.ch<N>.mp3` when split): for uploading to transcription servers. */
  toSpeechMp3(inputPath: string, outputPath: string, options?: ToPcmWavOptions): Promise<PcmWavFile[]>;
}

export const FFMPEG_INSTALL_HINT =
  'ffmpeg is not installed: apt-get install ffmpeg (macOS: brew install ffmpeg), or set PARLEY_FFMPEG_PATH';

// Decoded PCM is counted, not kept: mono 16-bit at 8 kHz is 16,000 bytes per second of audio.
const MEASURE_RATE = 8000;
const MEASURE_BYTES_PER_SECOND = MEASURE_RATE * 2;

const ffprobeAnswer = z.object({
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        channels: z.number().optional(),
        sample_rate: z.string().optional(),
      }),
    )
    .default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: z.string().optional(),
      tags: z.object({ major_brand: z.string().optional() }).partial().optional(),
    })
    .optional(),
});

export function createAudioToolkit(options: { ffmpegPath?: string | undefined } = {}): AudioToolkit {
  const ffmpeg = findExecutable(options.ffmpegPath ?? 'ffmpeg');
  // ffprobe ships with ffmpeg: look beside a configured ffmpeg first, then on PATH.
  const ffprobe =
    (ffmpeg === null ? null : findExecutable(join(dirname(ffmpeg), 'ffprobe'))) ?? findExecutable('ffprobe');

  function availability(): Promise<EngineAvailability> {
    if (ffmpeg === null) {
      return Promise.resolve({
        available: false,
        reason:
          options.ffmpegPath === undefined
            ? FFMPEG_INSTALL_HINT
            : `PARLEY_FFMPEG_PATH=${options.ffmpegPath} is not an executable file`,
      });
    }
    return Promise.resolve({ available: true });
  }

  async function probe(filePath: string, probeOptions: { signal?: AbortSignal } = {}): Promise<AudioInfo> {
    const size = (await stat(filePath)).size;
    if (size === 0) throw new NotAudioError('the file is empty');
    const header =
      ffprobe === null ? await headerFromMetadata(filePath) : await headerFromFfprobe(ffprobe, filePath);
    if (ffmpeg === null) return header.info;

    const decodedSeconds = await measureDecodedSeconds(ffmpeg, filePath, probeOptions.signal);
    if (decodedSeconds <= 0) throw new NotAudioError('no audio could be decoded from the file');
    const declaredSeconds = await declaredDurationOf(filePath, header);
    if (declaredSeconds !== null && decodedSeconds < declaredSeconds - Math.max(0.5, declaredSeconds * 0.1)) {
      throw new NotAudioError(
        `the file is truncated: it declares ${declaredSeconds.toFixed(1)} s of audio but only ` +
          `${decodedSeconds.toFixed(1)} s can be decoded`,
      );
    }
    return { ...header.info, durationSeconds: round3(decodedSeconds) };
  }

  function toPcmWav(
    inputPath: string,
    outputPath: string,
    opts: ToPcmWavOptions = {},
  ): Promise<PcmWavFile[]> {
    return convert(inputPath, outputPath, opts, 'wav', ['-c:a', 'pcm_s16le', '-f', 'wav']);
  }

  function toSpeechMp3(
    inputPath: string,
    outputPath: string,
    opts: ToPcmWavOptions = {},
  ): Promise<PcmWavFile[]> {
    // 32 kbit/s mono mp3 keeps speech intelligible at a tenth of PCM's size (hosted APIs cap uploads at 25 MB).
    return convert(inputPath, outputPath, opts, 'mp3', ['-c:a', 'libmp3lame', '-b:a', '32k', '-f', 'mp3']);
  }

  async function convert(
    inputPath: string,
    outputPath: string,
    opts: ToPcmWavOptions,
    extension: string,
    codec: string[],
  ): Promise<PcmWavFile[]> {
    if (ffmpeg === null) throw new Error(FFMPEG_INSTALL_HINT);
    const base = ['-nostdin', '-hide_banner', '-v', 'error', '-y', '-i', inputPath];
    const output = ['-vn', '-sn', '-dn', '-ar', '16000', ...codec];
    let files: PcmWavFile[];
    let args: string[];
    const channels = opts.splitChannels
      ? (opts.channels ?? (await probe(inputPath, { signal: opts.signal })).channels)
      : 1;
    if (!opts.splitChannels || channels <= 1) {
      files = [{ path: outputPath, channel: null }];
      args = [...base, '-map', '0:a:0', '-ac', '1', ...output, outputPath];
    } else {
      const stem = outputPath.replace(new RegExp(`\\.${extension}$`, 'i'), '');
      files = Array.from({ length: channels }, (_, channel) => ({
        path: `${stem}.ch${channel}.${extension}`,
        channel,
      }));
      // One ffmpeg run writes every channel: each output picks its channel with a pan filter.
      args = [
        ...base,
        ...files.flatMap((file) => [
          '-map',
          '0:a:0',
          '-af',
          `pan=mono|c0=c${file.channel}`,
          ...output,
          file.path,
        ]),
      ];
    }
    const run = await runTool(ffmpeg, args, { signal: opts.signal });
    if (run.exitCode !== 0) {
      throw new NotAudioError(
        `the recording could not be converted: ${stderrTail(run.stderr) || 'ffmpeg failed'}`,
      );
    }
    return files;
  }

  return { availability, probe, toPcmWav, toSpeechMp3 };
}

interface Header {
  info: AudioInfo;
  /** Duration the container announces, when it announces one. */
  declaredSeconds: number | null;
}

async function headerFromFfprobe(ffprobe: string, filePath: string): Promise<Header> {
  const run = await runTool(ffprobe, [
    '-v',
    'error',
    '-show_entries',
    'format=format_name,duration:format_tags=major_brand:stream=codec_type,codec_name,channels,sample_rate',
    '-of',
    'json',
    filePath,
  ]);
  if (run.exitCode !== 0) {
    throw new NotAudioError(
      `the file is not a recognised audio format, or is damaged: ${cleanReason(run.stderr)}`,
    );
  }
  const parsed = ffprobeAnswer.safeParse(JSON.parse(run.stdout || '{}'));
  if (!parsed.success || parsed.data.format?.format_name === undefined) {
    throw new NotAudioError('the file is not a recognised audio format');
  }
  const audio = parsed.data.streams.find((stream) => stream.codec_type === 'audio');
  if (audio === undefined) throw new NotAudioError('the file contains no audio stream');
  const declared = Number(parsed.data.format.duration);
  return {
    info: {
      format: formatNameOf({
        formatName: parsed.data.format.format_name,
        majorBrand: parsed.data.format.tags?.major_brand ?? null,
        hasVideo: parsed.data.streams.some((stream) => stream.codec_type === 'video'),
        audioCodec: audio.codec_name ?? null,
      }),
      durationSeconds: Number.isFinite(declared) ? round3(declared) : 0,
      channels: audio.channels ?? 1,
      sampleRate: Number(audio.sample_rate ?? 0),
    },
    declaredSeconds: Number.isFinite(declared) && declared > 0 ? declared : null,
  };
}

async function headerFromMetadata(filePath: string): Promise<Header> {
  try {
    const metadata = await parseFile(filePath, { duration: true });
    const { format } = metadata;
    if (format.duration === undefined || format.numberOfChannels === undefined) {
      throw new NotAudioError('the file contains no measurable audio');
    }
    return {
      info: {
        format: formatNameFromContainer(format.container, format.codec),
        durationSeconds: round3(format.duration),
        channels: format.numberOfChannels,
        sampleRate: format.sampleRate ?? 0,
      },
      declaredSeconds: format.duration,
    };
  } catch (error) {
    if (error instanceof NotAudioError) throw error;
    throw new NotAudioError(`the file is not a recognised audio format: ${(error as Error).message}`);
  }
}

async function measureDecodedSeconds(
  ffmpeg: string,
  filePath: string,
  signal?: AbortSignal,
): Promise<number> {
  const run = await runTool(
    ffmpeg,
    [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      '-i',
      filePath,
      '-map',
      '0:a:0',
      '-ac',
      '1',
      '-ar',
      String(MEASURE_RATE),
      '-f',
      's16le',
      'pipe:1',
    ],
    { countStdoutOnly: true, signal },
  );
  if (run.exitCode !== 0 && run.stdoutBytes === 0) {
    throw new NotAudioError(`the audio could not be decoded: ${cleanReason(run.stderr)}`);
  }
  return run.stdoutBytes / MEASURE_BYTES_PER_SECOND;
}

async function declaredDurationOf(filePath: string, header: Header): Promise<number | null> {
  if (header.info.format !== 'wav') return header.declaredSeconds;
  const wav = await readWavDeclaration(filePath);
  if (wav === null || wav.presentDataBytes >= wav.declaredDataBytes || wav.presentDataBytes === 0) {
    return header.declaredSeconds;
  }
  // A cut wav decodes as far as its bytes go; scale the measured length up to what was promised.
  return (header.declaredSeconds ?? 0) * (wav.declaredDataBytes / wav.presentDataBytes);
}

/** ffmpeg prefixes messages with the file path or a demuxer tag; a user needs the reason, not our temp path. */
function cleanReason(stderr: string): string {
  const lines = stderrTail(stderr, 2)
    .split('; ')
    .map((line) =>
      line
        .replace(/^\[[^\]]*\]\s*/, '')
        .replace(/^\S*[/\\][^:]*:\s*/, '')
        .trim(),
    )
    .filter((line) => line.length > 0);
  return [...new Set(lines)].join('; ') || 'unknown error';
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
