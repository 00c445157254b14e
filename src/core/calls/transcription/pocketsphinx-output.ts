import type { TranscriptSegmentResult } from '../engines.js';

/**
 * Parses `pocketsphinx_continuous -time yes` output. Each utterance prints its hypothesis, then
 * one line per word: `word start end posterior`, framed by `<s>` and `</s>`. Fillers (`<sil>`,
 * `[NOISE]`, `++BREATH++`) carry timing but no words; alternative pronunciations end in `(2)`.
 */
const WORD_LINE = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e-?\d+)?)$/;

interface Word {
  text: string;
  start: number;
  end: number;
  confidence: number;
}

export function parsePocketsphinxOutput(stdout: string, channel: number | null): TranscriptSegmentResult[] {
  const segments: TranscriptSegmentResult[] = [];
  let words: Word[] = [];
  const flush = (): void => {
    if (words.length > 0) segments.push(segmentOf(words, channel));
    words = [];
  };
  for (const raw of stdout.split('\n')) {
    const match = WORD_LINE.exec(raw.trim());
    if (match === null) continue;
    const [, token = '', start, end, posterior] = match;
    if (token === '<s>') {
      flush();
      continue;
    }
    if (token === '</s>') {
      flush();
      continue;
    }
    if (isFiller(token)) continue;
    words.push({
      text: token.replace(/\(\d+\)$/, ''),
      start: Number(start),
      end: Number(end),
      confidence: clamp01(Number(posterior)),
    });
  }
  flush();
  return segments;
}

function isFiller(token: string): boolean {
  return token.startsWith('<') || token.startsWith('[') || token.startsWith('++');
}

function segmentOf(words: Word[], channel: number | null): TranscriptSegmentResult {
  const first = words[0] as Word;
  const last = words[words.length - 1] as Word;
  const confidence = words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
  return {
    channel,
    speakerLabel: null,
    startSeconds: first.start,
    endSeconds: last.end,
    text: words.map((word) => word.text).join(' '),
    confidence: Math.round(confidence * 1000) / 1000,
  };
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}
