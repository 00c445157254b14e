import { faces, fuzzFace } from '../../src/testing/fuzz/faces.js';
import { countOf, formatFindings, formatStatuses, formatSummary } from '../../src/testing/fuzz/report.js';
import type { FuzzReport } from '../../src/testing/fuzz/runner.js';
import type { Face } from '../../src/testing/fuzz/types.js';
import { backendName } from '../../src/testing/database.js';

/**
 * The fuzz pass: seeded mutations of valid requests against one fresh app per face.
 * FUZZ_SEED (default 20261201) and FUZZ_COUNT (default 10000 per face) replay a run exactly;
 * FUZZ_FACES=native,modjo narrows it. Exits 1 on any 5xx.
 */
const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const count = Number(process.env.FUZZ_COUNT ?? 10_000);
const selected = (process.env.FUZZ_FACES?.split(',') ?? faces) as Face[];
const unknown = selected.filter((face) => !faces.includes(face));
if (unknown.length > 0)
  throw new Error(`FUZZ_FACES: unknown face ${unknown.join(', ')} (${faces.join(', ')})`);
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(count) || count < 0) {
  throw new Error('FUZZ_SEED and FUZZ_COUNT must be whole numbers');
}

const reports: FuzzReport[] = [];
for (const face of selected) {
  process.stdout.write(`fuzzing ${face}: ${count} requests, seed ${seed}, ${backendName} database\n`);
  const report = await fuzzFace(face, { seed, count });
  reports.push(report);
  process.stdout.write(`  statuses ${formatStatuses(report)}\n`);
  if (report.uncoveredRoutes.length > 0) {
    process.stdout.write(
      `  routes without a hand-written request (sent generic ones): ${report.uncoveredRoutes.join(', ')}\n`,
    );
  }
  for (const refused of report.refusedEntries) process.stdout.write(`  valid request refused: ${refused}\n`);
  const findings = formatFindings(report);
  if (findings) process.stdout.write(`${findings}\n`);
}
process.stdout.write(`\n${formatSummary(reports)}\n`);
const serverErrors = reports.reduce((sum, report) => sum + countOf(report, '5xx'), 0);
process.exitCode = serverErrors > 0 ? 1 : 0;
