import { and, eq } from 'drizzle-orm';
import { parseBuffer } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { callContacts } from '../calls/calls.tables.js';
import { mp3DurationSeconds } from '../telephony/audio-mp3-frames.js';
import { recordDialedCall } from './dialed-call-record.js';
import { addAgent, seedAnsweredAttempt } from './dialed-call.test-kit.js';
import { dialerAttempts } from './dialer.tables.js';

describe(`recordDialedCall (${backendName})`, () => {
  let app: TestApp;
  let acme: { accountId: number; apiKey: string };
  let agentId: number;
  const startedAt = new Date('2026-11-30T10:15:00.000Z');

  beforeAll(async () => {
    app = await createTestApp();
    acme = await seedAccount(app, 'Acme');
    agentId = await addAgent(app, acme.accountId, 'agent@acme.example');
  });
  afterAll(async () => {
    await app.close();
  });

  const deps = () => ({ db: app.parley.ctx.db, storage: app.parley.ctx.storage });
  const getCall = (callId: number, token = acme.apiKey, accountId = acme.accountId) =>
    injector(app)({
      method: 'GET',
      url: `/api/v1/accounts/${accountId}/calls/${callId}`,
      headers: bearer(token),
    });

  it('makes a finished outbound call with an MP3 recording of the call, linked to the attempt', async () => {
    const seeded = await seedAnsweredAttempt(app.parley.ctx.db, acme.accountId, { agentId });

    const { callId } = await recordDialedCall(deps(), {
      accountId: acme.accountId,
      attemptId: seeded.attemptId,
      agentId,
      contactId: seeded.contactId,
      startedAt,
      durationSeconds: 95,
      isRecorded: true,
    });

    const response = await getCall(callId);
    expect(response.statusCode).toBe(200);
    const call = response.json<Record<string, unknown> & { recording: Record<string, unknown> | null }>();
    expect(call).toMatchObject({
      id: callId,
      direction: 'outbound',
      provider: 'diabolocom-v2',
      state: 'summarized',
      startedAt: startedAt.toISOString(),
      durationSeconds: 95,
      userId: agentId,
      title: 'Call with Chloé Client',
      failureReason: null,
    });
    expect(call.recording).toMatchObject({ format: 'mp3', contentType: 'audio/mpeg', channels: 1 });
    const stored = await app.parley.ctx.storage.get(`calls/${acme.accountId}/${callId}/recording.mp3`);
    expect(call.recording?.['size']).toBe(stored.length);
    // Real MP3: every byte belongs to a layer III frame, and a third-party parser agrees on the length.
    expect(mp3DurationSeconds(stored)).toBeCloseTo(95, 0);
    const metadata = await parseBuffer(stored, { mimeType: 'audio/mpeg' }, { duration: true });
    expect(metadata.format.container).toBe('MPEG');
    expect(metadata.format.codec).toMatch(/MPEG 2\.5 Layer 3/);
    expect(metadata.format.duration).toBeCloseTo(95, 0);

    const [attempt] = await app.parley.ctx.db
      .select({ callId: dialerAttempts.callId })
      .from(dialerAttempts)
      .where(eq(dialerAttempts.id, seeded.attemptId));
    expect(attempt?.callId).toBe(callId);
    const linked = await app.parley.ctx.db
      .select({ contactId: callContacts.contactId })
      .from(callContacts)
      .where(eq(callContacts.callId, callId));
    expect(linked).toEqual([{ contactId: seeded.contactId }]);
    const created = await app.parley.ctx.db
      .select({ aggregateId: events.aggregateId })
      .from(events)
      .where(and(eq(events.accountId, acme.accountId), eq(events.type, 'call.created')));
    expect(created.map((row) => row.aggregateId)).toContain(String(callId));
  });

  it('answers the same call when the attempt is recorded twice', async () => {
    const seeded = await seedAnsweredAttempt(app.parley.ctx.db, acme.accountId, { agentId });
    const input = {
      accountId: acme.accountId,
      attemptId: seeded.attemptId,
      agentId,
      contactId: seeded.contactId,
      startedAt,
      durationSeconds: 30,
      isRecorded: true,
    };

    const [first, second] = await Promise.all([
      recordDialedCall(deps(), input),
      recordDialedCall(deps(), input),
    ]);

    expect(second.callId).toBe(first.callId);
  });

  it('caps the recording at ten minutes and keeps the call its real duration', async () => {
    const seeded = await seedAnsweredAttempt(app.parley.ctx.db, acme.accountId, { agentId });

    const { callId } = await recordDialedCall(deps(), {
      accountId: acme.accountId,
      attemptId: seeded.attemptId,
      agentId,
      contactId: seeded.contactId,
      startedAt,
      durationSeconds: 3600,
      isRecorded: true,
      seed: 3,
    });

    const call = (await getCall(callId)).json<{
      durationSeconds: number;
      recording: { durationSeconds: number };
    }>();
    expect(call.durationSeconds).toBe(3600);
    expect(call.recording.durationSeconds).toBeCloseTo(600, 0);
  });

  it('makes a call without a recording when the campaign does not record', async () => {
    const seeded = await seedAnsweredAttempt(app.parley.ctx.db, acme.accountId, { agentId });

    const { callId } = await recordDialedCall(deps(), {
      accountId: acme.accountId,
      attemptId: seeded.attemptId,
      agentId,
      contactId: seeded.contactId,
      startedAt,
      durationSeconds: 42,
      isRecorded: false,
    });

    const call = (await getCall(callId)).json<{ recording: unknown; state: string }>();
    expect(call).toMatchObject({ recording: null, state: 'summarized' });
    expect(await app.parley.ctx.storage.stat(`calls/${acme.accountId}/${callId}/recording.mp3`)).toBeNull();
  });

  it("refuses another account's attempt and leaves no call behind", async () => {
    const other = await seedAccount(app, 'Other');
    const seeded = await seedAnsweredAttempt(app.parley.ctx.db, acme.accountId, { agentId });

    await expect(
      recordDialedCall(deps(), {
        accountId: other.accountId,
        attemptId: seeded.attemptId,
        agentId,
        contactId: seeded.contactId,
        startedAt,
        durationSeconds: 42,
        isRecorded: true,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const [attempt] = await app.parley.ctx.db
      .select({ callId: dialerAttempts.callId })
      .from(dialerAttempts)
      .where(eq(dialerAttempts.id, seeded.attemptId));
    expect(attempt?.callId).toBeNull();
  });
});
