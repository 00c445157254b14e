import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createTestWorker, makeDue, silentLogger } from '../../testing/job-test-kit.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../testing/speech.js';
import { waitFor } from '../../testing/wait.js';
import { jobs } from '../../platform/jobs/index.js';
import { events } from '../../platform/events/events.tables.js';
import {
  callIdOfUploadUrl,
  createModjoUser,
  modjoHeaders,
  putSigned,
  uploadBody,
  waitForSettled,
} from './modjo-test-kit.js';
import { calls, callSpeakers, transcriptSegments } from '../../core/calls/calls.tables.js';
import { createCallJobs } from '../../core/calls/create-call-jobs.js';
import { createCallEngines } from '../../core/calls/engine-factory.js';
import type { TranscriptionEngine } from '../../core/calls/engines.js';

const tools = speechToolsAvailable();

describe.skipIf(!tools.available)(
  `call pipeline resumes after a crash mid-transcription (${backendName})`,
  () => {
    let app: TestApp;
    let workDir: string;

    beforeAll(async () => {
      workDir = await mkdtemp(path.join(tmpdir(), 'parley-resume-'));
      app = await createTestApp({
        PARLEY_TRANSCRIPTION_ENGINE: 'pocketsphinx',
        PARLEY_DATA_DIR: path.join(workDir, 'data'),
      });
    }, 60_000);
    afterAll(async () => {
      await app.close();
      await rm(workDir, { recursive: true, force: true });
    });

    it('takes over the expired lease, rewrites the transcript once and summarizes', async () => {
      const inject = injector(app);
      const account = await seedAccount(app, 'Resume Inc');
      await inject({
        method: 'PATCH',
        url: `/api/v1/accounts/${account.accountId}`,
        headers: bearer(account.apiKey),
        payload: { settings: { callMinimumDurationSeconds: 1 } },
      });
      await createModjoUser(inject, account.apiKey, 'agent@example.com');
      const wav = await readFile(
        await synthesizeSpeech(['the meeting is tomorrow', 'what is the price'], {
          outPath: path.join(workDir, 'c.wav'),
          channels: 2,
        }),
      );
      const created = await inject({
        method: 'POST',
        url: '/modjo/v1/calls',
        headers: modjoHeaders(account.apiKey),
        payload: uploadBody(),
      });
      const uploadTo = created.json<{ uploadTo: string }>().uploadTo;
      const callId = callIdOfUploadUrl(uploadTo);
      expect((await putSigned(inject, uploadTo, wav)).statusCode).toBe(201);

      // A worker whose transcriber never returns, not even when aborted: a process stuck, then killed.
      let isStuck = false;
      const stuck: TranscriptionEngine = {
        name: 'stuck',
        availability: () => Promise.resolve({ available: true }),
        transcribe: () => {
          isStuck = true;
          return new Promise(() => undefined);
        },
      };
      const real = createCallEngines(app.parley.ctx.config, { logger: silentLogger });
      const doomed = createCallJobs({
        db: app.parley.ctx.db,
        storage: app.parley.ctx.storage,
        outbound: app.parley.ctx.outbound,
        engines: { ...real, transcription: stuck },
        maxRecordingBytes: app.parley.ctx.config.PARLEY_RECORDING_MAX_BYTES,
        logger: silentLogger,
      });
      const worker = createTestWorker(app.parley.ctx.database, [doomed.processCall], { leaseMs: 60_000 });
      await worker.start();
      await waitFor(() => isStuck, { timeoutMs: 20_000, what: 'transcription to start' });
      await worker.stop({ timeoutMs: 50 });
      const [running] = await app.parley.ctx.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.name, 'calls.process'), eq(jobs.state, 'running')));
      expect(running).toBeDefined();
      const [midway] = await app.parley.ctx.db.select().from(calls).where(eq(calls.id, callId));
      expect(midway?.state).toBe('transcribing');
      // Leftovers a half-finished run could have written are replaced, not appended to.
      await app.parley.ctx.db.insert(transcriptSegments).values({
        accountId: account.accountId,
        callId,
        startSeconds: 0,
        endSeconds: 1,
        text: 'stale leftover',
        confidence: null,
      });

      await makeDue(app.parley.ctx.db, running?.id as number);
      await app.parley.startBackground();

      const call = await waitForSettled(app, account.accountId, callId, 120_000);
      expect(call.failureReason).toBeNull();
      expect(call.state).toBe('summarized');
      const segments = await app.parley.ctx.db
        .select()
        .from(transcriptSegments)
        .where(eq(transcriptSegments.callId, callId));
      const text = segments.map((segment) => segment.text).join(' ');
      expect(text).not.toContain('stale leftover');
      expect(text).toMatch(/tomorrow|price/);
      const speakers = await app.parley.ctx.db
        .select()
        .from(callSpeakers)
        .where(eq(callSpeakers.callId, callId));
      expect(speakers.map((speaker) => speaker.channel).sort()).toEqual([0, 1]);
      const summarized = await app.parley.ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(events)
        .where(and(eq(events.type, 'call.summarized'), eq(events.aggregateId, String(callId))));
      expect(summarized[0]?.n).toBe(1);
      const [resumed] = await app.parley.ctx.db
        .select()
        .from(jobs)
        .where(eq(jobs.id, running?.id as number));
      expect(resumed?.attempts).toBeGreaterThanOrEqual(2);
    }, 180_000);
  },
);

describe.skipIf(tools.available)('call pipeline resume', () => {
  it.skip(`needs speech tools: ${tools.reason ?? ''}`, () => undefined);
});
