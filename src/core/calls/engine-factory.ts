import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import type { OutboundClient } from '../../platform/outbound/guarded-fetch.js';
import { FFMPEG_INSTALL_HINT, createAudioToolkit, type AudioToolkit } from './audio/audio-toolkit.js';
import { findExecutable } from './audio/run-tool.js';
import type { SummaryEngine, TranscriptionEngine } from './engines.js';
import { createExtractiveSummaryEngine } from './summary/extractive-summary-engine.js';
import { createOpenAiSummaryEngine } from './summary/openai-summary-engine.js';
import { createOpenAiTranscriptionEngine } from './transcription/openai-transcription-engine.js';
import { createPocketsphinxEngine, pocketsphinxMissing } from './transcription/pocketsphinx-engine.js';

export type { AudioToolkit, PcmWavFile, ToPcmWavOptions } from './audio/audio-toolkit.js';

export interface CallEngines {
  audio: AudioToolkit;
  /** null when configured `none`, or `auto` with no local engine installed; see `transcriptionUnavailableReason`. */
  transcription: TranscriptionEngine | null;
  /** Why `transcription` is null, worded for the call's record ("no transcription engine: <reason>"). */
  transcriptionUnavailableReason: string | null;
  summary: SummaryEngine;
}

export interface CallEngineDeps {
  /** Unused today: engine URLs are operator-configured, not tenant-supplied, so they skip the guard. */
  outbound?: OutboundClient;
  logger: Logger;
}

/**
 * Picks the engines the configuration asks for. `auto` takes the local pocketsphinx engine when
 * its CLI is installed and otherwise transcribes nothing, saying why, rather than failing calls.
 */
export function createCallEngines(config: Config, deps: CallEngineDeps): CallEngines {
  const audio = createAudioToolkit({ ffmpegPath: config.PARLEY_FFMPEG_PATH });
  const { engine, reason } = pickTranscription(config, audio);
  if (engine === null) deps.logger.info({ reason }, 'calls: no transcription engine');
  else deps.logger.debug({ engine: engine.name }, 'calls: transcription engine selected');
  return {
    audio,
    transcription: engine,
    transcriptionUnavailableReason: reason,
    summary: pickSummary(config),
  };
}

function pickTranscription(
  config: Config,
  audio: AudioToolkit,
): { engine: TranscriptionEngine | null; reason: string | null } {
  switch (config.PARLEY_TRANSCRIPTION_ENGINE) {
    case 'none':
      return { engine: null, reason: 'transcription is turned off (PARLEY_TRANSCRIPTION_ENGINE=none)' };
    case 'openai':
      return {
        engine: createOpenAiTranscriptionEngine({
          baseUrl: config.PARLEY_TRANSCRIPTION_URL,
          apiKey: config.PARLEY_TRANSCRIPTION_API_KEY,
          model: config.PARLEY_TRANSCRIPTION_MODEL,
          audio,
        }),
        reason: null,
      };
    case 'pocketsphinx':
      // Chosen explicitly: keep the engine even if not installed, so each call fails with the install hint.
      return { engine: createPocketsphinxEngine({ audio }), reason: null };
    case 'auto': {
      const missing =
        pocketsphinxMissing() ??
        (findExecutable(config.PARLEY_FFMPEG_PATH ?? 'ffmpeg') === null
          ? `pocketsphinx needs ffmpeg; ${FFMPEG_INSTALL_HINT}`
          : null);
      if (missing === null) return { engine: createPocketsphinxEngine({ audio }), reason: null };
      return {
        engine: null,
        reason: `${missing}; or set PARLEY_TRANSCRIPTION_ENGINE=openai with PARLEY_TRANSCRIPTION_URL`,
      };
    }
  }
}

function pickSummary(config: Config): SummaryEngine {
  if (config.PARLEY_SUMMARY_ENGINE === 'openai') {
    return createOpenAiSummaryEngine({
      baseUrl: config.PARLEY_SUMMARY_URL,
      apiKey: config.PARLEY_SUMMARY_API_KEY,
      model: config.PARLEY_SUMMARY_MODEL,
    });
  }
  return createExtractiveSummaryEngine();
}
