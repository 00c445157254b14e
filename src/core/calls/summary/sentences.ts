import type { SummaryInputSegment } from '../engines.js';
import { STOP_WORDS } from './stop-words.js';

/** A sentence of the transcript with the timing and speaker of the segment it came from. */
export interface Sentence {
  index: number;
  text: string;
  speaker: string;
  startSeconds: number;
  endSeconds: number;
  /** Content-word stems, in order; stop words removed. */
  terms: string[];
  /** Content words as spoken, aligned with `terms`, for naming topics. */
  surfaces: string[];
  /** Runs of consecutive content words (stop words and punctuation break a run). */
  runs: { terms: string[]; surfaces: string[] }[];
}

// Recognizers without punctuation produce long unbroken segments; cut them into readable pieces.
const MAX_WORDS_WITHOUT_PUNCTUATION = 30;
const ABBREVIATIONS = /\b(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|inc|ltd|e\.g|i\.e)\.$/i;

export function splitIntoSentences(segments: readonly SummaryInputSegment[]): Sentence[] {
  const sentences: Sentence[] = [];
  for (const segment of segments) {
    const text = segment.text.replace(/\s+/g, ' ').trim();
    if (text.length === 0) continue;
    const pieces = cutLongPieces(splitText(text));
    const span = Math.max(0, segment.endSeconds - segment.startSeconds);
    let offset = 0;
    for (const piece of pieces) {
      const at = text.indexOf(piece, offset);
      const from = at < 0 ? offset : at;
      offset = from + piece.length;
      // Timing inside a segment is interpolated by character position: good to a second or two.
      const start = segment.startSeconds + (span * from) / text.length;
      const end = segment.startSeconds + (span * Math.min(text.length, offset)) / text.length;
      const analysed = analyse(piece);
      sentences.push({
        index: sentences.length,
        text: piece,
        speaker: segment.speaker,
        startSeconds: round2(start),
        endSeconds: round2(end),
        ...analysed,
      });
    }
  }
  return sentences;
}

function splitText(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const token of text.split(' ')) {
    current = current.length === 0 ? token : `${current} ${token}`;
    if (/[.!?]["')\]]*$/.test(token) && !ABBREVIATIONS.test(token)) {
      pieces.push(current);
      current = '';
    }
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

function cutLongPieces(pieces: string[]): string[] {
  return pieces.flatMap((piece) => {
    const words = piece.split(' ');
    if (words.length <= MAX_WORDS_WITHOUT_PUNCTUATION) return [piece];
    const parts = Math.ceil(words.length / MAX_WORDS_WITHOUT_PUNCTUATION);
    const size = Math.ceil(words.length / parts);
    return Array.from({ length: parts }, (_, part) => words.slice(part * size, (part + 1) * size).join(' '));
  });
}

function analyse(text: string): Pick<Sentence, 'terms' | 'surfaces' | 'runs'> {
  const terms: string[] = [];
  const surfaces: string[] = [];
  const runs: Sentence['runs'] = [];
  let run: Sentence['runs'][number] = { terms: [], surfaces: [] };
  const closeRun = (): void => {
    if (run.terms.length > 0) runs.push(run);
    run = { terms: [], surfaces: [] };
  };
  // Words, keeping inner apostrophes and hyphens; punctuation between words ends a phrase.
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[,;:.!?()"]/gu)) {
    const token = match[0].replace(/’/g, "'");
    if (!/[\p{L}\p{N}]/u.test(token)) {
      closeRun();
      continue;
    }
    if (STOP_WORDS.has(token) || token.length < 2 || /^\d+$/.test(token)) {
      closeRun();
      continue;
    }
    const stem = stemOf(token);
    terms.push(stem);
    surfaces.push(token);
    run.terms.push(stem);
    run.surfaces.push(token);
  }
  closeRun();
  return { terms, surfaces, runs };
}

/** Plural folding only: enough for "contracts" and "contract" to count as one topic, hard to get wrong. */
export function stemOf(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is|'s)$/.test(word)) return word.slice(0, -1);
  if (word.endsWith("'s")) return word.slice(0, -2);
  return word;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
