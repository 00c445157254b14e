import type { CannedResponse } from '../api/types';

/** The `/shortcode` being typed at the caret, if any: `/` at the start or after whitespace. */
export function slashToken(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

export function matchCanned(responses: CannedResponse[], query: string): CannedResponse[] {
  const needle = query.toLowerCase();
  const byCode = responses.filter((response) => response.shortCode.toLowerCase().startsWith(needle));
  const byContent = responses.filter(
    (response) =>
      !response.shortCode.toLowerCase().startsWith(needle) &&
      (response.shortCode.toLowerCase().includes(needle) || response.content.toLowerCase().includes(needle)),
  );
  return [...byCode, ...byContent].slice(0, 8);
}

/** Replaces the `/query` token with the response's text; returns the new text and caret. */
export function insertCanned(
  text: string,
  token: { start: number; query: string },
  response: CannedResponse,
): { text: string; caret: number } {
  const end = token.start + 1 + token.query.length;
  const next = text.slice(0, token.start) + response.content + text.slice(end);
  return { text: next, caret: token.start + response.content.length };
}
