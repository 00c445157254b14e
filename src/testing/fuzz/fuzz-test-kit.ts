import { expect } from 'vitest';
import { fuzzFace } from './faces.js';
import { formatFindings } from './report.js';
import type { Face } from './types.js';

/** The CI pass: short, on a fixed seed, so a failure replays with `FUZZ_SEED=<seed> npm run bench:fuzz`. */
export const CI_SEED = 20261201;
export const CI_COUNT = 300;

/**
 * 4xx bodies known not to be in the face's format: a 416 on a blob carries its `Content-Range`
 * and, as HTTP has it, no body.
 */
const KNOWN_FORMAT_GAPS = [/^format 416 GET \/blobs\/\* /];

export async function expectNoServerErrors(face: Face): Promise<void> {
  const report = await fuzzFace(face, { seed: CI_SEED, count: CI_COUNT });

  const serverErrors = report.findings.filter((finding) => finding.kind !== 'error-format');
  const formatErrors = report.findings.filter(
    (finding) =>
      finding.kind === 'error-format' && !KNOWN_FORMAT_GAPS.some((known) => known.test(finding.signature)),
  );
  expect(report.sent).toBeGreaterThanOrEqual(CI_COUNT);
  expect(serverErrors.length, formatFindings({ ...report, findings: serverErrors })).toBe(0);
  expect(formatErrors.length, formatFindings({ ...report, findings: formatErrors })).toBe(0);
  // The corpus must stay valid, or the mutations only ever explore the 4xx paths.
  expect(report.validOk / report.validTotal, report.refusedEntries.join('\n')).toBeGreaterThan(0.8);
}
