import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendName } from '../../testing/database.js';
import { calls } from '../../core/calls/calls.tables.js';
import { recordDialedCall } from '../../core/dialer/dialed-call-record.js';
import { addAgent, seedAnsweredAttempt } from '../../core/dialer/dialed-call.test-kit.js';
import { splitMp3Frames } from '../../core/telephony/audio-mp3-frames.js';
import type { TestApp } from '../../testing/app.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount, type Inject } from './diabolocom-test-kit.js';

const content = (id: number | string) => `/api/v1/recordings/interactions/${id}/content`;

describe(`Diabolocom GET /api/v1/recordings/interactions/{id}/content (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: DiabolocomTestAccount;
  let globex: DiabolocomTestAccount;
  let recordedId: number;
  let unrecordedId: number;
  let wavId: number;
  let deletedId: number;
  let stored: Buffer;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    inject = kit.inject;
    acme = await kit.account('Acme');
    globex = await kit.account('Globex');
    const { db, storage } = app.parley.ctx;
    const agentId = await addAgent(app, acme.accountId, 'agent@acme.example');
    const record = async (isRecorded: boolean) => {
      const seeded = await seedAnsweredAttempt(db, acme.accountId, { agentId });
      const input = { ...seeded, accountId: acme.accountId, agentId, isRecorded };
      return recordDialedCall(
        { db, storage },
        { ...input, startedAt: new Date('2026-11-02T09:00:00Z'), durationSeconds: 20 },
      );
    };
    recordedId = (await record(true)).callId;
    unrecordedId = (await record(false)).callId;
    stored = await storage.get(`calls/${acme.accountId}/${recordedId}/recording.mp3`);
    // A call uploaded through Modjo as WAV: served with its own type, not relabelled.
    const wavKey = `calls/${acme.accountId}/wav-1/recording.wav`;
    await storage.put(wavKey, Buffer.from('RIFF....WAVEfmt '), { contentType: 'audio/wav' });
    const [wav, deleted] = await db
      .insert(calls)
      .values([
        {
          accountId: acme.accountId,
          state: 'summarized' as const,
          recordingExtension: 'wav' as const,
          recordingKey: wavKey,
          recordingContentType: 'audio/wav',
        },
        {
          accountId: acme.accountId,
          state: 'summarized' as const,
          recordingExtension: 'mp3' as const,
          recordingDeletedAt: new Date(),
        },
      ])
      .returning({ id: calls.id });
    wavId = wav!.id;
    deletedId = deleted!.id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('streams the whole MP3 recording with the file security headers', async () => {
    const response = await acme.call('GET', content(recordedId));

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('audio/mpeg');
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.headers['content-length']).toBe(String(stored.length));
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename=interaction-${recordedId}.mp3`,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain('sandbox');
    expect(response.rawPayload.equals(stored)).toBe(true);
    expect(splitMp3Frames(response.rawPayload).length).toBeGreaterThan(200);
  });

  it('answers byte ranges with 206 and Content-Range: first bytes, an open end and a suffix', async () => {
    const size = stored.length;
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      [`bytes=${size - 10}-`, size - 10, size - 1],
      ['bytes=-50', size - 50, size - 1],
      [`bytes=100-${size + 500}`, 100, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const response = await inject({
        method: 'GET',
        url: `/diabolocom${content(recordedId)}`,
        headers: { authorization: `Bearer ${acme.apiKey}`, range },
      });
      expect(response.statusCode, range).toBe(206);
      expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
      expect(response.headers['content-type']).toBe('audio/mpeg');
      expect(response.rawPayload.equals(stored.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it('answers 416 with the size for a range past the end', async () => {
    const response = await inject({
      method: 'GET',
      url: `/diabolocom${content(recordedId)}`,
      headers: { authorization: `Bearer ${acme.apiKey}`, range: `bytes=${stored.length}-` },
    });

    expect(response.statusCode).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${stored.length}`);
    expect(response.json()).toMatchObject({ status: 416, error: 'error.range.not.satisfiable' });
  });

  it('serves another recording format with its real type', async () => {
    const response = await acme.call('GET', content(wavId));

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('audio/wav');
    expect(response.body).toBe('RIFF....WAVEfmt ');
  });

  it('answers 404 error.interaction.not.exists when there is no such call or no recording', async () => {
    for (const id of [unrecordedId, deletedId, 987654321, 'abc', '1e3']) {
      const response = await acme.call('GET', content(id));
      expect(response.statusCode, String(id)).toBe(404);
      expect(response.json()).toMatchObject({ status: 404, error: 'error.interaction.not.exists' });
    }
  });

  it("answers 404 for another account's recording, and 401 without a token", async () => {
    const foreign = await globex.call('GET', content(recordedId));
    const anonymous = await inject({ method: 'GET', url: `/diabolocom${content(recordedId)}` });

    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: 'error.interaction.not.exists' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ status: 401, error: 'error.unauthorized' });
  });

  it('answers 405 for another method', async () => {
    const response = await acme.call('DELETE', content(recordedId));

    expect(response.statusCode).toBe(405);
    expect(response.json()).toMatchObject({ error: 'error.method.not.allowed' });
  });
});
