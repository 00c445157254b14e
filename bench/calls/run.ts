/**
 * Call-pipeline benchmark: `npm run bench:calls`.
 *
 * 1. End to end: a 5-minute two-sided call is spoken with espeak-ng, created through the Modjo face,
 *    PUT to its signed upload URL, and timed until the signed `call_summarized` webhook reaches a
 *    local receiver (local engines: ffmpeg, pocketsphinx, extractive summary).
 * 2. Export: BENCH_EXPORT_CALLS (default 10,000) calls with BENCH_SEGMENTS (default 20) transcript
 *    segments each are bulk-inserted, then every page of `POST /modjo/v1/calls/exports` (perPage 50,
 *    transcript relation) is read; calls per second is reported.
 *
 * Runs on a fresh embedded database, or on a server one when TEST_DATABASE_URL is set.
 * Results go to stdout and bench/results/calls.json.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { bearer, createTestApp, injector, seedAccount } from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../src/testing/speech.js';
import { startWebhookReceiver } from '../../src/testing/webhook-receiver.js';
import { waitFor } from '../../src/testing/wait.js';
import { calls, transcriptSegments } from '../../src/core/calls/calls.tables.js';
import {
  createModjoUser,
  modjoHeaders,
  putSigned,
  uploadBody,
} from '../../src/faces/modjo/modjo-test-kit.js';

const EXPORT_CALLS = Number(process.env.BENCH_EXPORT_CALLS ?? '10000');
const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? '20');
const CALL_SECONDS = Number(process.env.BENCH_CALL_SECONDS ?? '300');
const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'calls.json');

const AGENT = [
  'good morning this is the sales team calling about your order',
  'the meeting is tomorrow at ten and we can discuss the price',
  'we can deliver the new phones next week if you confirm today',
];
const CUSTOMER = [
  'what is the price of the premium plan for twenty users',
  'can you send me the contract by email before the meeting',
  'three four five is my account number',
];

async function endToEnd(workDir: string) {
  const tools = speechToolsAvailable();
  if (!tools.available) return { skipped: tools.reason };
  const turns: string[] = [];
  for (let index = 0; turns.length < 400; index += 1) {
    turns.push(AGENT[index % AGENT.length] as string, CUSTOMER[index % CUSTOMER.length] as string);
  }
  // About 5.5 s per spoken turn with its pause: enough turns for CALL_SECONDS of conversation.
  const spokenStarted = performance.now();
  const file = await synthesizeSpeech(turns.slice(0, Math.ceil(CALL_SECONDS / 5.5)), {
    outPath: path.join(workDir, 'call.wav'),
    channels: 2,
    sampleRate: 16000,
    pauseSeconds: 0.5,
  });
  const audio = await readFile(file);
  const synthesisSeconds = (performance.now() - spokenStarted) / 1000;

  const app = await createTestApp({
    PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'],
    PARLEY_DATA_DIR: path.join(workDir, 'e2e'),
  });
  const receiver = await startWebhookReceiver();
  try {
    const inject = injector(app);
    const account = await seedAccount(app, 'Bench');
    await createModjoUser(inject, account.apiKey, 'agent@example.com');
    await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(account.apiKey),
      payload: { settings: { callMinimumDurationSeconds: 1 } },
    });
    await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/webhooks`,
      headers: bearer(account.apiKey),
      payload: { url: receiver.url('/modjo'), format: 'modjo' },
    });
    await app.parley.startBackground();
    const started = performance.now();
    const created = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjoHeaders(account.apiKey),
      payload: uploadBody(),
    });
    const put = await putSigned(inject, created.json<{ uploadTo: string }>().uploadTo, audio);
    if (put.statusCode !== 201) throw new Error(`upload failed: ${put.statusCode}`);
    const uploadedMs = performance.now() - started;
    await waitFor(
      async () => {
        if (receiver.received.some((request) => request.body.includes('"call_summarized"'))) return true;
        const [call] = await app.parley.ctx.db.select().from(calls);
        if (call?.state === 'failed') throw new Error(`the call failed: ${call.failureReason ?? ''}`);
        return false;
      },
      { timeoutMs: 30 * 60_000, intervalMs: 200, what: 'call_summarized' },
    );
    const totalSeconds = (performance.now() - started) / 1000;
    const [call] = await app.parley.ctx.db.select().from(calls);
    const [segments] = await app.parley.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(transcriptSegments);
    return {
      audioSeconds: call?.recordingDurationSeconds,
      audioBytes: audio.length,
      synthesisSeconds: round(synthesisSeconds),
      uploadMs: Math.round(uploadedMs),
      uploadToWebhookSeconds: round(totalSeconds),
      realTimeFactor: round(totalSeconds / (call?.recordingDurationSeconds ?? 1)),
      segments: segments?.n,
      state: call?.state,
      failureReason: call?.failureReason,
    };
  } finally {
    await app.close();
    await receiver.close();
  }
}

async function exportThroughput(workDir: string) {
  const app = await createTestApp({ PARLEY_DATA_DIR: path.join(workDir, 'export') });
  try {
    const inject = injector(app);
    const account = await seedAccount(app, 'Bench export');
    const agent = await createModjoUser(inject, account.apiKey, 'agent@example.com');
    const db = app.parley.ctx.db;
    const insertStarted = performance.now();
    const base = Date.parse('2024-01-01T00:00:00Z');
    for (let start = 0; start < EXPORT_CALLS; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, EXPORT_CALLS - start) }, (_, offset) => ({
        accountId: account.accountId,
        title: `Bench call ${start + offset}`,
        startedAt: new Date(base + (start + offset) * 60_000),
        durationSeconds: 300,
        userId: agent.id,
        state: 'summarized' as const,
        recordingExtension: 'wav' as const,
        summary: 'A summary of the call.',
      }));
      const inserted = await db.insert(calls).values(rows).returning({ id: calls.id });
      const segments = inserted.flatMap(({ id }) =>
        Array.from({ length: SEGMENTS }, (_, index) => ({
          accountId: account.accountId,
          callId: id,
          startSeconds: index * 15,
          endSeconds: index * 15 + 14,
          text: `segment ${index} of the conversation about the price and the meeting tomorrow`,
          confidence: 0.9,
        })),
      );
      for (let s = 0; s < segments.length; s += 5000)
        await db.insert(transcriptSegments).values(segments.slice(s, s + 5000));
    }
    const insertSeconds = (performance.now() - insertStarted) / 1000;
    await db.execute(sql`ANALYZE calls`);
    await db.execute(sql`ANALYZE transcript_segments`);
    const started = performance.now();
    let exported = 0;
    let segmentsRead = 0;
    const latencies: number[] = [];
    for (let page = 1; ; page += 1) {
      const pageStarted = performance.now();
      const response = await inject({
        method: 'POST',
        url: '/modjo/v1/calls/exports',
        headers: modjoHeaders(account.apiKey),
        payload: { pagination: { page, perPage: 50 }, relations: { transcript: true } },
      });
      latencies.push(performance.now() - pageStarted);
      const body = response.json<{
        pagination: { nextPage?: number };
        values: { relations: { transcript: unknown[] } }[];
      }>();
      exported += body.values.length;
      segmentsRead += body.values.reduce((sum, value) => sum + value.relations.transcript.length, 0);
      if (body.pagination.nextPage === undefined) break;
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((x, y) => x - y);
    return {
      calls: exported,
      segments: segmentsRead,
      insertSeconds: round(insertSeconds),
      exportSeconds: round(seconds),
      callsPerSecond: Math.round(exported / seconds),
      pageLatencyMs: {
        p50: round(latencies[Math.floor(latencies.length / 2)] ?? 0),
        p99: round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
        max: round(latencies.at(-1) ?? 0),
      },
    };
  } finally {
    await app.close();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const workDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-calls-'));
try {
  const results = {
    database: backendName,
    date: new Date().toISOString(),
    endToEnd: process.env.BENCH_SKIP_E2E ? { skipped: 'BENCH_SKIP_E2E' } : await endToEnd(workDir),
    export: await exportThroughput(workDir),
  };
  console.log(JSON.stringify(results, null, 2));
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await rm(workDir, { recursive: true, force: true });
}
