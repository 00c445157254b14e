import { findExecutable, runTool } from '../calls/audio/run-tool.js';
import { findTtsVoice } from '../media/tts.js';

/**
 * How long a text takes to say: the text is really synthesised with espeak-ng (the TTS the media
 * library uses) and the audio measured, so a `say` command or a broadcast's TTS message holds the
 * line exactly as long as its speech. espeak-ng writes 16-bit mono WAV at 22,050 Hz to stdout.
 */
const ESPEAK_SAMPLE_RATE = 22_050;
const WAV_HEADER_BYTES = 44;
/** The media library's natural pace (its rate 50). */
const SPEECH_WORDS_PER_MINUTE = 160;

export class SpeechUnavailableError extends Error {
  override name = 'SpeechUnavailableError';
}

/** espeak-ng's voice for a CALLR voice (the media library's "TTS_FR-FR_AUDREY"), or a language ("fr-FR"). */
export function espeakVoiceOf(voice: string): string {
  const known = findTtsVoice(voice);
  if (known) return known.espeakVoice;
  const language = /^([a-z]{2,3})(?:[-_]([a-z]{2}))?/i.exec(voice.trim());
  if (!language?.[1]) return 'en';
  const base = language[1].toLowerCase();
  return language[2] ? `${base}-${language[2].toLowerCase()}` : base;
}

export async function measureSpeechSeconds(text: string, voice = 'en'): Promise<number> {
  const binary = findExecutable('espeak-ng');
  if (binary === null)
    throw new SpeechUnavailableError('espeak-ng is not installed (apt-get install espeak-ng)');
  const run = async (name: string) =>
    runTool(binary, ['-v', name, '-s', String(SPEECH_WORDS_PER_MINUTE), '--stdout', '--', text], {
      countStdoutOnly: true,
      timeoutMs: 30_000,
    });
  let result = await run(espeakVoiceOf(voice));
  // An unknown voice makes espeak-ng fail: speak it in English rather than not at all.
  if (result.exitCode !== 0 || result.stdoutBytes <= WAV_HEADER_BYTES) result = await run('en');
  if (result.exitCode !== 0) throw new SpeechUnavailableError(`espeak-ng failed: ${result.stderr.trim()}`);
  return Math.max(0, result.stdoutBytes - WAV_HEADER_BYTES) / (ESPEAK_SAMPLE_RATE * 2);
}
