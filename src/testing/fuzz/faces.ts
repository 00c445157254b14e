import { createTestApp, type TestApp } from '../app.js';
import { buildNativeCorpus } from './native-corpus.js';
import { buildChatwootCorpus } from './chatwoot-corpus.js';
import { buildModjoCorpus } from './modjo-corpus.js';
import { buildDixaCorpus } from './dixa-corpus.js';
import { buildDiabolocomCorpus } from './diabolocom-corpus.js';
import { runFuzz, type FuzzReport } from './runner.js';
import type { Face, FaceCorpus } from './types.js';

const builders: Record<Face, (app: TestApp) => Promise<FaceCorpus>> = {
  native: buildNativeCorpus,
  chatwoot: buildChatwootCorpus,
  modjo: buildModjoCorpus,
  dixa: buildDixaCorpus,
  diabolocom: buildDiabolocomCorpus,
};

/** Routes each face's pass covers; the blob routes ride with Modjo, whose uploads they serve. */
const prefixes: Record<Face, string[]> = {
  native: ['/api/', '/health', '/ready', '/metrics'],
  chatwoot: ['/chatwoot/'],
  modjo: ['/modjo/', '/blobs/'],
  dixa: ['/dixa/'],
  diabolocom: ['/diabolocom/'],
};

export const faces: readonly Face[] = ['native', 'chatwoot', 'modjo', 'dixa', 'diabolocom'];

/**
 * One fresh app per face, seeded through the API, then fuzzed. Rate limits are lifted: the pass
 * sends thousands of requests per token in seconds, and a wall of 429s would fuzz nothing.
 */
export async function fuzzFace(face: Face, options: { seed: number; count: number }): Promise<FuzzReport> {
  const app = await createTestApp({
    // FUZZ_LOG_ERRORS=1 prints the server's own log of each 5xx (its stack), to find the cause.
    ...(process.env.FUZZ_LOG_ERRORS && { LOG_LEVEL: 'error' as const }),
    PARLEY_RATE_LIMIT_MAX: 1_000_000_000,
    PARLEY_AUTH_RATE_LIMIT_MAX: 1_000_000_000,
    PARLEY_FAILED_AUTH_RATE_LIMIT_MAX: 1_000_000_000,
    PARLEY_DIXA_RATE_LIMIT_MAX: 1_000_000_000,
  });
  try {
    const corpus = await builders[face](app);
    return await runFuzz({ app, corpus, seed: options.seed, count: options.count, prefixes: prefixes[face] });
  } finally {
    await app.close();
  }
}
