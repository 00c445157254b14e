import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AudioToolkit } from '../audio/audio-toolkit.js';
import { findExecutable, runTool, stderrTail } from '../audio/run-tool.js';
import type { EngineAvailability, TranscriptionEngine, TranscriptionResult } from '../engines.js';
import { parsePocketsphinxOutput } from './pocketsphinx-output.js';

export const POCKETSPHINX_BINARY = 'pocketsphinx_continuous';
export const POCKETSPHINX_INSTALL_HINT =
  'pocketsphinx is not installed: apt-get install pocketsphinx pocketsphinx-en-us ffmpeg';

export const MODEL_INSTALL_HINT =
  'the pocketsphinx US English model is missing: apt-get install pocketsphinx-en-us';

/** Where packages put the US English model: Debian/Ubuntu's pocketsphinx-en-us first, then source and Homebrew installs. */
export const MODEL_DIRS = [
  '/usr/share/pocketsphinx/model/en-us',
  '/usr/local/share/pocketsphinx/model/en-us',
  '/opt/homebrew/share/pocketsphinx/model/en-us',
];

interface ModelFiles {
  hmm: string;
  lm: string;
  dict: string;
}

/** The first directory holding a complete model: acoustic model, language model and dictionary. */
export function findModel(dirs: readonly string[] = MODEL_DIRS): ModelFiles | null {
  for (const dir of dirs) {
    const files = {
      hmm: join(dir, 'en-us'),
      lm: join(dir, 'en-us.lm.bin'),
      dict: join(dir, 'cmudict-en-us.dict'),
    };
    if (existsSync(files.hmm) && existsSync(files.lm) && existsSync(files.dict)) return files;
  }
  return null;
}

export interface PocketsphinxOptions {
  audio: AudioToolkit;
  binary?: string;
  /** Directory holding `en-us/` (acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`; found when unset. */
  modelDir?: string;
}

/** Why the pocketsphinx CLI or its model is not usable, or null when both are installed. */
export function pocketsphinxMissing(binary = POCKETSPHINX_BINARY, modelDirs = MODEL_DIRS): string | null {
  if (findExecutable(binary) === null) return POCKETSPHINX_INSTALL_HINT;
  if (findModel(modelDirs) === null) return MODEL_INSTALL_HINT;
  return null;
}

/**
 * CMU PocketSphinx, run offline as a child process. It understands 16 kHz mono PCM only, so the
 * recording is converted first; dual-channel calls become one run per channel, and each
 * segment keeps its channel so the caller can tell the two speakers apart.
 */
export function createPocketsphinxEngine(options: PocketsphinxOptions): TranscriptionEngine {
  const modelDirs = options.modelDir === undefined ? MODEL_DIRS : [options.modelDir];
  const binaryName = options.binary ?? POCKETSPHINX_BINARY;

  async function availability(): Promise<EngineAvailability> {
    const missing = pocketsphinxMissing(binaryName, modelDirs);
    if (missing !== null) return { available: false, reason: missing };
    const tools = await options.audio.availability();
    if (!tools.available) return { available: false, reason: `pocketsphinx needs ffmpeg; ${tools.reason}` };
    return { available: true };
  }

  async function transcribe(
    input: Parameters<TranscriptionEngine['transcribe']>[0],
  ): Promise<TranscriptionResult> {
    const binary = findExecutable(binaryName);
    if (binary === null) throw new Error(POCKETSPHINX_INSTALL_HINT);
    const model = findModel(modelDirs);
    if (model === null) throw new Error(MODEL_INSTALL_HINT);
    if (input.language !== null && !/^en\b/i.test(input.language)) {
      throw new Error(
        `pocketsphinx has only an English model installed; the call's language is ${input.language}`,
      );
    }
    const workDir = await mkdtemp(join(tmpdir(), 'parley-sphinx-'));
    try {
      const pcmFiles = await options.audio.toPcmWav(input.filePath, join(workDir, 'audio.wav'), {
        splitChannels: input.audio.channels > 1,
        channels: input.audio.channels,
        signal: input.signal,
      });
      const segments = [];
      // Sequential on purpose: pocketsphinx uses a full core per run and the machine runs other jobs too.
      for (const file of pcmFiles) {
        const run = await runTool(
          binary,
          ['-infile', file.path, '-time', 'yes', '-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict],
          {
            signal: input.signal,
          },
        );
        if (run.exitCode !== 0) {
          throw new Error(
            `pocketsphinx failed (exit ${run.exitCode}): ${stderrTail(run.stderr) || 'no message'}`,
          );
        }
        segments.push(...parsePocketsphinxOutput(run.stdout, file.channel));
      }
      segments.sort((a, b) => a.startSeconds - b.startSeconds || (a.channel ?? 0) - (b.channel ?? 0));
      return { language: 'en', segments };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  return { name: 'pocketsphinx', availability, transcribe };
}
