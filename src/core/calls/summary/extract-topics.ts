import type { Sentence } from './sentences.js';

export interface Topic {
  name: string;
  score: number;
  startSeconds: number | null;
}

interface Candidate {
  key: string;
  terms: string[];
  count: number;
  firstSentence: number;
  surfaceCounts: Map<string, number>;
}

/**
 * Topics are the keywords and key phrases the call keeps coming back to: content-word runs of one
 * to three words, scored by how often they occur and how frequent their words are across the call.
 * A phrase said twice beats its words alone ("service level agreement" over "service").
 */
export function extractTopics(sentences: readonly Sentence[], limit = 8): Topic[] {
  const termFrequency = new Map<string, number>();
  for (const sentence of sentences) {
    for (const term of sentence.terms) termFrequency.set(term, (termFrequency.get(term) ?? 0) + 1);
  }
  const candidates = new Map<string, Candidate>();
  for (const sentence of sentences) {
    for (const run of sentence.runs) {
      for (let size = 1; size <= 3; size += 1) {
        for (let at = 0; at + size <= run.terms.length; at += 1) {
          const terms = run.terms.slice(at, at + size);
          const surface = run.surfaces.slice(at, at + size).join(' ');
          const key = terms.join(' ');
          const candidate = candidates.get(key) ?? {
            key,
            terms,
            count: 0,
            firstSentence: sentence.index,
            surfaceCounts: new Map<string, number>(),
          };
          candidate.count += 1;
          candidate.surfaceCounts.set(surface, (candidate.surfaceCounts.get(surface) ?? 0) + 1);
          candidates.set(key, candidate);
        }
      }
    }
  }

  const scored = [...candidates.values()]
    // A phrase must recur to be a topic; a single word may stand once only in very short calls.
    .filter((candidate) => candidate.count >= 2 || (candidate.terms.length === 1 && sentences.length <= 3))
    .map((candidate) => {
      const wordWeight =
        candidate.terms.reduce((sum, term) => sum + Math.log(1 + (termFrequency.get(term) ?? 0)), 0) /
        candidate.terms.length;
      return { candidate, raw: candidate.count * wordWeight * (1 + 0.5 * (candidate.terms.length - 1)) };
    })
    .sort((a, b) => b.raw - a.raw || a.candidate.key.localeCompare(b.candidate.key));

  const chosen: { candidate: Candidate; raw: number }[] = [];
  for (const entry of scored) {
    if (chosen.length >= limit) break;
    // Skip a word or phrase already covered by a chosen phrase it almost always appears in, and vice versa.
    const redundant = chosen.some(
      (picked) =>
        (contains(picked.candidate.key, entry.candidate.key) &&
          picked.candidate.count >= entry.candidate.count * 0.6) ||
        (contains(entry.candidate.key, picked.candidate.key) &&
          entry.candidate.count < picked.candidate.count * 0.6),
    );
    if (!redundant) chosen.push(entry);
  }
  const best = chosen[0]?.raw ?? 1;
  return chosen.map(({ candidate, raw }) => ({
    name: mostCommonSurface(candidate.surfaceCounts),
    score: Math.round((raw / best) * 1000) / 1000,
    startSeconds: sentences[candidate.firstSentence]?.startSeconds ?? null,
  }));
}

function contains(phrase: string, part: string): boolean {
  return phrase !== part && ` ${phrase} `.includes(` ${part} `);
}

function mostCommonSurface(counts: Map<string, number>): string {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}
