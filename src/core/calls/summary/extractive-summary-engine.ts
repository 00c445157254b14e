import type { EngineAvailability, SummaryEngine, SummaryResult } from '../engines.js';
import { extractTopics } from './extract-topics.js';
import { orderByScore, rankSentences } from './rank-sentences.js';
import { splitIntoSentences, stemOf } from './sentences.js';

export const NOTHING_TO_SUMMARIZE = 'nothing to summarize: the transcript has no words';

export interface ExtractiveOptions {
  /** Most sentences in the summary; fewer for short calls (about a fifth of the sentences). */
  maxSummarySentences?: number;
  maxHighlights?: number;
  maxTopics?: number;
}

/**
 * A local summarizer that needs no model: the summary is the call's most central sentences in
 * the order they were said, highlights are the best of them with who said them and when, and
 * topics are the recurring key phrases. The same transcript always gives the same result.
 */
export function createExtractiveSummaryEngine(options: ExtractiveOptions = {}): SummaryEngine {
  const maxSummary = options.maxSummarySentences ?? 5;
  const maxHighlights = options.maxHighlights ?? 5;
  const maxTopics = options.maxTopics ?? 8;

  function availability(): Promise<EngineAvailability> {
    return Promise.resolve({ available: true });
  }

  function summarize(input: Parameters<SummaryEngine['summarize']>[0]): Promise<SummaryResult> {
    return Promise.resolve(summarizeNow(input));
  }

  function summarizeNow(input: Parameters<SummaryEngine['summarize']>[0]): SummaryResult {
    const sentences = splitIntoSentences(input.segments);
    if (sentences.length === 0)
      return { summary: '', highlights: [], topics: [], note: NOTHING_TO_SUMMARIZE };

    const titleTerms = new Set(
      (input.title ?? '')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word.length > 2)
        .map(stemOf),
    );
    const ranking = orderByScore(rankSentences(sentences, titleTerms));
    const summaryCount = Math.max(1, Math.min(maxSummary, Math.ceil(sentences.length / 5)));
    const inSummary = ranking.slice(0, summaryCount).sort((a, b) => a - b);
    const summary = inSummary.map((index) => withFullStop(sentences[index]?.text ?? '')).join(' ');

    const highlights = ranking
      .slice(0, Math.min(maxHighlights, sentences.length))
      .sort((a, b) => a - b)
      .map((index) => {
        const sentence = sentences[index];
        return {
          text: withFullStop(sentence?.text ?? ''),
          startSeconds: sentence?.startSeconds ?? 0,
          endSeconds: sentence?.endSeconds ?? 0,
          speaker: sentence?.speaker ?? null,
        };
      });

    return { summary, highlights, topics: extractTopics(sentences, maxTopics) };
  }

  return { name: 'extractive', availability, summarize };
}

function withFullStop(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) return trimmed;
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]["')\]]*$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
