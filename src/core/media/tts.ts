import { findExecutable, runTool, stderrTail } from '../calls/audio/run-tool.js';
import type { EngineAvailability } from '../calls/engines.js';
import { DomainError } from '../../platform/errors.js';

/**
 * Text-to-speech with espeak-ng, under CALLR's voice names. Each CALLR voice maps to an espeak-ng
 * language voice plus a variant that gives it its gender and timbre; espeak has no Belgian Dutch,
 * so TTS_NL-BE_ELLEN speaks Dutch (nl) with a female variant.
 */
export interface TtsVoice {
  /** CALLR's voice id, e.g. "TTS_FR-FR_AUDREY". */
  id: string;
  /** POSIX locale, e.g. "fr_FR". */
  locale: string;
  name: string;
  gender: 'FEMALE' | 'MALE';
  /** The espeak-ng voice and variant this voice speaks with. */
  espeakVoice: string;
}

const voice = (
  id: string,
  locale: string,
  name: string,
  gender: TtsVoice['gender'],
  espeakVoice: string,
): TtsVoice => ({ id, locale, name, gender, espeakVoice });

/** CALLR's voice list (`Media.Library.voice` values), in its order. */
export const TTS_VOICES: readonly TtsVoice[] = [
  voice('TTS_DE-DE_ANNA', 'de_DE', 'Anna', 'FEMALE', 'de+f3'),
  voice('TTS_DE-DE_YANNICK', 'de_DE', 'Yannick', 'MALE', 'de+m3'),
  voice('TTS_EN-GB_DANIEL', 'en_GB', 'Daniel', 'MALE', 'en-gb+m3'),
  voice('TTS_EN-GB_SERENA', 'en_GB', 'Serena', 'FEMALE', 'en-gb+f3'),
  voice('TTS_FR-FR_AUDREY', 'fr_FR', 'Audrey', 'FEMALE', 'fr-fr+f2'),
  voice('TTS_FR-FR_SEBASTIEN', 'fr_FR', 'Sebastien', 'MALE', 'fr-fr+m3'),
  voice('TTS_FR-FR_THOMAS', 'fr_FR', 'Thomas', 'MALE', 'fr-fr+m1'),
  voice('TTS_FR-FR_VIRGINIE', 'fr_FR', 'Virginie', 'FEMALE', 'fr-fr+f4'),
  voice('TTS_IT-IT_PAOLO', 'it_IT', 'Paolo', 'MALE', 'it+m3'),
  voice('TTS_IT-IT_SILVIA', 'it_IT', 'Silvia', 'FEMALE', 'it+f3'),
  voice('TTS_NL-BE_ELLEN', 'nl_BE', 'Ellen', 'FEMALE', 'nl+f4'),
  voice('TTS_NL-NL_CLAIRE', 'nl_NL', 'Claire', 'FEMALE', 'nl+f3'),
  voice('TTS_NL-NL_XANDER', 'nl_NL', 'Xander', 'MALE', 'nl+m3'),
];

export function findTtsVoice(id: string): TtsVoice | undefined {
  return TTS_VOICES.find((candidate) => candidate.id === id.toUpperCase());
}

/** CALLR's `Media.TTS.Options.rate`: 1..100, default 50. */
export const DEFAULT_TTS_RATE = 50;
/** The longest text synthesized at once: about five minutes of speech. */
export const MAX_TTS_TEXT_LENGTH = 5000;

/**
 * espeak speaks at 80..450 words per minute; CALLR's rate 50 (the default) is a natural 160,
 * 1 the slowest espeak allows and 100 twice the natural pace.
 */
export function wordsPerMinuteFor(rate: number): number {
  const clamped = Math.min(100, Math.max(1, Math.round(rate)));
  if (clamped <= DEFAULT_TTS_RATE) return Math.round(80 + ((clamped - 1) * 80) / (DEFAULT_TTS_RATE - 1));
  return Math.round(160 + ((clamped - DEFAULT_TTS_RATE) * 160) / (100 - DEFAULT_TTS_RATE));
}

export const ESPEAK_INSTALL_HINT =
  'Text-to-speech is not available: espeak-ng is not installed (apt-get install espeak-ng)';

export interface TtsEngine {
  availability(): EngineAvailability;
  /** Speaks `text` into a 22,050 Hz mono wav at `outputPath`. */
  synthesize(input: { text: string; voice: TtsVoice; rate: number; outputPath: string }): Promise<void>;
}

export function createTtsEngine(options: { espeakPath?: string | undefined } = {}): TtsEngine {
  const espeak = findExecutable(options.espeakPath ?? 'espeak-ng');

  function availability(): EngineAvailability {
    if (espeak !== null) return { available: true };
    return {
      available: false,
      reason:
        options.espeakPath === undefined
          ? ESPEAK_INSTALL_HINT
          : `Text-to-speech is not available: ${options.espeakPath} is not an executable file`,
    };
  }

  async function synthesize(input: {
    text: string;
    voice: TtsVoice;
    rate: number;
    outputPath: string;
  }): Promise<void> {
    if (espeak === null) throw new DomainError('UNAVAILABLE', availability().reason ?? ESPEAK_INSTALL_HINT);
    // "--" ends the options: a text that starts with "-" is spoken, not parsed as a flag.
    const run = await runTool(
      espeak,
      [
        '-v',
        input.voice.espeakVoice,
        '-s',
        String(wordsPerMinuteFor(input.rate)),
        '-w',
        input.outputPath,
        '--',
        input.text,
      ],
      { timeoutMs: 120_000 },
    );
    if (run.exitCode !== 0) {
      throw new Error(`espeak-ng failed: ${stderrTail(run.stderr) || `exit code ${run.exitCode}`}`);
    }
  }

  return { availability, synthesize };
}
