import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { startServer, type TestServer } from '../../testing/http-servers.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../testing/speech.js';
import { makeDue } from '../../testing/job-test-kit.js';
import { waitFor } from '../../testing/wait.js';
import { createSignedUrl } from '../../platform/storage/signed-url.js';
import { jobs } from '../../platform/jobs/index.js';
import { calls } from '../../core/calls/calls.tables.js';
import {
  callIdOfUploadUrl,
  createModjoUser,
  latestCall,
  modjoHeaders,
  putSigned,
  uploadBody,
  waitForSettled,
} from './modjo-test-kit.js';

const tools = speechToolsAvailable(['espeak-ng', 'ffmpeg']);
const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
const CAP = 64 * 1024;

type Route = (request: IncomingMessage, response: ServerResponse) => void;

describe.skipIf(!tools.available)(`Modjo ingestion failures (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let account: { accountId: number; apiKey: string };
  let server: TestServer;
  let wav: Buffer;
  let workDir: string;
  const routes = new Map<string, Route>();
  let flaky = 0;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'parley-modjo-fail-'));
    // A short recording under the small size cap, so the cap is what oversized downloads hit.
    wav = await readFile(
      await synthesizeSpeech('three four five', {
        outPath: path.join(workDir, 'short.wav'),
        sampleRate: 8000,
      }),
    );
    expect(wav.length).toBeLessThan(CAP);
    routes.set('/ok.wav', (_q, r) => r.writeHead(200, { 'content-type': 'audio/wav' }).end(wav));
    routes.set('/flaky.wav', (_q, r) => {
      flaky += 1;
      if (flaky === 1) r.writeHead(503).end('busy');
      else r.writeHead(200, { 'content-type': 'audio/wav' }).end(wav);
    });
    routes.set('/metadata', (_q, r) =>
      r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    );
    routes.set('/huge-declared.wav', (_q, r) =>
      r.writeHead(200, { 'content-type': 'audio/wav', 'content-length': CAP * 4 }).end(Buffer.alloc(CAP * 4)),
    );
    routes.set('/huge-chunked.wav', (_q, r) => {
      r.writeHead(200, { 'content-type': 'audio/wav' });
      for (let i = 0; i < 8; i += 1) r.write(Buffer.alloc(CAP / 2));
      r.end();
    });
    routes.set('/page.html', (_q, r) =>
      r.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
    );
    routes.set('/text.wav', (_q, r) =>
      r.writeHead(200, { 'content-type': 'audio/wav' }).end('this is not audio at all '.repeat(100)),
    );
    routes.set('/truncated.wav', (_q, r) =>
      r.writeHead(200, { 'content-type': 'audio/wav' }).end(wav.subarray(0, Math.floor(wav.length / 2))),
    );
    routes.set('/missing.wav', (_q, r) => r.writeHead(404).end());
    server = await startServer((request, response) => {
      const route = routes.get(request.url ?? '');
      if (route) route(request, response);
      else response.writeHead(404).end();
    });
    app = await createTestApp({
      PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'],
      PARLEY_RECORDING_MAX_BYTES: CAP,
      PARLEY_SIGNING_SECRET: SIGNING_SECRET,
      PARLEY_TRANSCRIPTION_ENGINE: 'none',
      // Blob keys repeat across fresh test databases (ids restart at 1): each app gets its own files.
      PARLEY_DATA_DIR: path.join(workDir, 'data'),
    });
    inject = injector(app);
    account = await seedAccount(app, 'Fail Inc');
    await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(account.apiKey),
      payload: { settings: { callMinimumDurationSeconds: 0.5 } },
    });
    await createModjoUser(inject, account.apiKey, 'agent@example.com');
    await app.parley.startBackground();
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await server.close();
    await rm(workDir, { recursive: true, force: true });
  });

  async function ingest(recordingUrl: string) {
    const response = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjoHeaders(account.apiKey),
      payload: uploadBody({ recordingUrl }),
    });
    expect(response.statusCode).toBe(200);
    const { id } = await latestCall(app, account.accountId);
    return waitForSettled(app, account.accountId, id, 30_000);
  }

  async function blobExists(key: string) {
    return (await app.parley.ctx.storage.stat(key)) !== null;
  }

  it.each([
    ['a private range', 'http://10.1.2.3/a.wav', /refused.*10\.1\.2\.3/],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', /refused.*169\.254\.169\.254/],
    ['a redirect to the metadata address', '/metadata', /refused.*169\.254\.169\.254/],
    ['an HTML page', '/page.html', /served text\/html, not audio/],
    ['a 404', '/missing.wav', /HTTP 404/],
    ['a body over the cap (declared)', '/huge-declared.wav', /too large/],
    ['a body over the cap (streamed)', '/huge-chunked.wav', /too large/],
    ['text served as audio', '/text.wav', /not usable audio/],
    ['a truncated wav', '/truncated.wav', /not usable audio.*(truncat|declares|incomplete|short)/i],
  ])('fails the call clearly for %s, keeping no file', async (_case, target, reason) => {
    const url = target.startsWith('/') ? server.url(target) : target;

    const call = await ingest(url);

    expect(call.state).toBe('failed');
    expect(call.failureReason).toMatch(reason);
    expect(call.recordingKey).toBeNull();
    expect(await blobExists(`calls/${account.accountId}/${call.id}/recording.wav`)).toBe(false);
  });

  it('refuses loopback when it is not allowlisted', async () => {
    const strict = await createTestApp({
      PARLEY_TRANSCRIPTION_ENGINE: 'none',
      PARLEY_DATA_DIR: path.join(workDir, 'strict'),
    });
    try {
      const strictInject = injector(strict);
      const other = await seedAccount(strict, 'Strict');
      await createModjoUser(strictInject, other.apiKey, 'agent@example.com');
      await strict.parley.startBackground();
      await strictInject({
        method: 'POST',
        url: '/modjo/v1/calls',
        headers: modjoHeaders(other.apiKey),
        payload: uploadBody({ recordingUrl: server.url('/ok.wav') }),
      });
      const { id } = await latestCall(strict, other.accountId);

      const call = await waitForSettled(strict, other.accountId, id, 30_000);

      expect(call.state).toBe('failed');
      expect(call.failureReason).toMatch(/refused.*127\.0\.0\.1/);
    } finally {
      await strict.close();
    }
  }, 60_000);

  it('retries a 5xx answer and then downloads; without an engine the call says so', async () => {
    const call = await ingest(server.url('/flaky.wav'));

    expect(flaky).toBe(2);
    expect(call.state).toBe('failed');
    expect(call.failureReason).toMatch(/^no transcription engine configured: transcription is turned off/);
    // The recording itself was good: it is kept and measured.
    expect(call.recordingKey).not.toBeNull();
    expect(call.recordingDurationSeconds).toBeGreaterThan(0.5);
  }, 30_000);

  it('refuses an upload after the link expired (403), and a second upload to a used link (409)', async () => {
    const created = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjoHeaders(account.apiKey),
      payload: uploadBody(),
    });
    const { uploadTo } = created.json<{ uploadTo: string }>();
    const callId = callIdOfUploadUrl(uploadTo);
    const key = `calls/${account.accountId}/${callId}/recording.wav`;
    const expired = createSignedUrl(
      {
        publicUrl: 'http://localhost:3000',
        key,
        method: 'PUT',
        expiresInSeconds: 20 * 60,
        maxBytes: CAP,
        now: new Date(Date.now() - 21 * 60_000),
      },
      SIGNING_SECRET,
    );

    const late = await putSigned(inject, expired, wav);
    const tampered = await putSigned(
      inject,
      uploadTo.replace(
        /signature=([0-9a-f])/,
        (_match, first: string) => `signature=${first === '0' ? '1' : '0'}`,
      ),
      wav,
    );
    const tooBig = await putSigned(inject, uploadTo, Buffer.alloc(CAP + 1));
    const first = await putSigned(inject, uploadTo, wav);
    const second = await putSigned(inject, uploadTo, wav);

    expect(late.statusCode).toBe(403);
    expect(late.json().message ?? late.body).toMatch(/expired/);
    expect(tampered.statusCode).toBe(403);
    expect(tooBig.statusCode).toBe(413);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toBe('This upload link has already been used');
    const call = await waitForSettled(app, account.accountId, callId, 30_000);
    expect(call.failureReason).toMatch(/no transcription engine configured/);
  }, 30_000);

  it('fails a call whose upload never came once its link expired', async () => {
    const created = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjoHeaders(account.apiKey),
      payload: uploadBody(),
    });
    const callId = callIdOfUploadUrl(created.json<{ uploadTo: string }>().uploadTo);
    const [job] = await app.parley.ctx.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.name, 'calls.expire_upload'), eq(jobs.accountId, account.accountId)))
      .orderBy(jobs.id);
    const pending = await app.parley.ctx.db.select().from(calls).where(eq(calls.id, callId));
    expect(pending[0]?.state).toBe('pending_upload');

    const jobIds = await app.parley.ctx.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(eq(jobs.name, 'calls.expire_upload'));
    for (const { id } of jobIds) await makeDue(app.parley.ctx.db, id);

    const call = await waitForSettled(app, account.accountId, callId, 15_000);
    expect(job).toBeDefined();
    expect(call.state).toBe('failed');
    expect(call.failureReason).toBe('no recording was uploaded before the upload link expired');
  }, 30_000);

  it('starts processing when the upload arrived but its hook was lost', async () => {
    const created = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjoHeaders(account.apiKey),
      payload: uploadBody(),
    });
    const callId = callIdOfUploadUrl(created.json<{ uploadTo: string }>().uploadTo);
    // Stored without going through the route, as if the process died between storing and queueing.
    await app.parley.ctx.storage.put(`calls/${account.accountId}/${callId}/recording.wav`, wav, {
      contentType: 'audio/wav',
    });
    const jobIds = await app.parley.ctx.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(eq(jobs.name, 'calls.expire_upload'));

    for (const { id } of jobIds) await makeDue(app.parley.ctx.db, id);

    const call = await waitFor(
      async () => {
        const [row] = await app.parley.ctx.db.select().from(calls).where(eq(calls.id, callId));
        return row?.state === 'failed' ? row : undefined;
      },
      { timeoutMs: 15_000, what: 'call processed' },
    );
    expect(call.recordingDurationSeconds).toBeGreaterThan(0.5);
    expect(call.failureReason).toMatch(/no transcription engine configured/);
  }, 30_000);
});

describe.skipIf(tools.available)('Modjo ingestion failures', () => {
  it.skip(`needs speech tools: ${tools.reason ?? ''}`, () => undefined);
});
