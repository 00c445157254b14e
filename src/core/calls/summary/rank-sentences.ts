import type { Sentence } from './sentences.js';

/**
 * TextRank over TF-IDF sentence vectors: a sentence matters when it shares weighted vocabulary
 * with many other sentences. Short chit-chat ("OK, thanks.") is damped, and words of the call's
 * title get a small boost. Deterministic: fixed iterations, ties broken by position.
 */
export function rankSentences(sentences: readonly Sentence[], titleTerms: ReadonlySet<string>): number[] {
  const count = sentences.length;
  if (count === 0) return [];
  const documentFrequency = new Map<string, number>();
  for (const sentence of sentences) {
    for (const term of new Set(sentence.terms))
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const vectors = sentences.map((sentence) => {
    const vector = new Map<string, number>();
    for (const term of sentence.terms) vector.set(term, (vector.get(term) ?? 0) + 1);
    for (const [term, tf] of vector) {
      vector.set(term, tf * Math.log(1 + count / (documentFrequency.get(term) ?? 1)));
    }
    return vector;
  });
  const norms = vectors.map((vector) => Math.sqrt([...vector.values()].reduce((sum, w) => sum + w * w, 0)));

  const weights: number[][] = sentences.map(() => new Array<number>(count).fill(0));
  for (let i = 0; i < count; i += 1) {
    for (let j = i + 1; j < count; j += 1) {
      const similarity = cosine(
        vectors[i] as Map<string, number>,
        vectors[j] as Map<string, number>,
        norms[i] ?? 0,
        norms[j] ?? 0,
      );
      (weights[i] as number[])[j] = similarity;
      (weights[j] as number[])[i] = similarity;
    }
  }
  const outWeight = weights.map((row) => row.reduce((sum, w) => sum + w, 0));

  const damping = 0.85;
  let scores = new Array<number>(count).fill(1);
  for (let iteration = 0; iteration < 40; iteration += 1) {
    scores = scores.map((_, i) => {
      let incoming = 0;
      for (let j = 0; j < count; j += 1) {
        const w = (weights[j] as number[])[i] ?? 0;
        if (w > 0 && (outWeight[j] ?? 0) > 0) incoming += (w / (outWeight[j] as number)) * (scores[j] ?? 0);
      }
      return 1 - damping + damping * incoming;
    });
  }

  return sentences.map((sentence, i) => {
    // A sentence linked to nothing still carries information in proportion to its rare words.
    const standalone = (norms[i] ?? 0) / 10;
    const lengthFactor = Math.min(1, sentence.terms.length / 4);
    const titleBoost = sentence.terms.some((term) => titleTerms.has(term)) ? 1.1 : 1;
    return ((scores[i] ?? 0) + standalone) * lengthFactor * titleBoost;
  });
}

/** Sentence indexes, best first; equal scores keep transcript order. */
export function orderByScore(scores: readonly number[]): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.index);
}

function cosine(a: Map<string, number>, b: Map<string, number>, normA: number, normB: number): number {
  if (normA === 0 || normB === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot / (normA * normB);
}
