import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../testing/speech.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { waitFor } from '../../testing/wait.js';
import {
  callIdOfUploadUrl,
  createModjoUser,
  latestCall,
  modjoHeaders,
  putSigned,
  uploadBody,
  waitForSettled,
} from './modjo-test-kit.js';

const tools = speechToolsAvailable();
const AGENT_TURN = 'hello this is the sales team calling about your order';
const CUSTOMER_TURN = 'what is the price of the meeting room tomorrow';

/** The seed's Node.js verification sample, verbatim in logic. */
function verifyWebhookSignature(
  secretToken: string,
  timestamp: string,
  payload: unknown,
  receivedSignature: string,
) {
  const data = timestamp + JSON.stringify(payload) + secretToken;
  return createHash('sha256').update(data).digest('hex') === receivedSignature;
}

describe.skipIf(!tools.available)(`Modjo call ingestion end to end with real speech (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let account: { accountId: number; apiKey: string };
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let secret: string;
  let workDir: string;
  let stereoWav: Buffer;
  let monoMp3: Buffer;
  let fileServer: Server;
  let fileServerUrl: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'parley-modjo-'));
    stereoWav = await readFile(
      await synthesizeSpeech([AGENT_TURN, CUSTOMER_TURN], {
        outPath: path.join(workDir, 'call.wav'),
        channels: 2,
      }),
    );
    monoMp3 = await readFile(
      await synthesizeSpeech([AGENT_TURN, CUSTOMER_TURN], { outPath: path.join(workDir, 'call.mp3') }),
    );
    fileServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': monoMp3.length });
      response.end(monoMp3);
    });
    await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
    fileServerUrl = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}/recordings/call.mp3`;

    app = await createTestApp({
      PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'],
      PARLEY_TRANSCRIPTION_ENGINE: 'pocketsphinx',
      // Blob keys repeat across fresh test databases (ids restart at 1): each app gets its own files.
      PARLEY_DATA_DIR: path.join(workDir, 'data'),
    });
    inject = injector(app);
    account = await seedAccount(app, 'Acme Sales');
    await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(account.apiKey),
      payload: { settings: { callMinimumDurationSeconds: 1 } },
    });
    await createModjoUser(inject, account.apiKey, 'agent@example.com');
    receiver = await startWebhookReceiver();
    const subscription = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/webhooks`,
      headers: bearer(account.apiKey),
      payload: { url: receiver.url('/modjo'), format: 'modjo' },
    });
    expect(subscription.statusCode).toBe(201);
    secret = subscription.json<{ secret: string }>().secret;
    await app.parley.startBackground();
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await receiver.close();
    await new Promise((resolve) => fileServer.close(resolve));
    await rm(workDir, { recursive: true, force: true });
  });

  async function exportCall(callId: number) {
    const response = await inject({
      method: 'POST',
      url: '/modjo/v1/calls/exports',
      headers: modjoHeaders(account.apiKey),
      payload: {
        filters: { callIds: [callId] },
        relations: {
          transcript: true,
          speakers: true,
          summary: true,
          highlights: true,
          topics: true,
          recording: true,
          users: true,
          contacts: true,
        },
      },
    });
    expect(response.statusCode).toBe(201);
    return response.json().values[0];
  }

  function webhookFor(callId: number) {
    return waitFor(
      () =>
        receiver.received.find((request) => {
          const body = JSON.parse(request.body) as { eventName: string; payload: { callId: number } };
          return body.eventName === 'call_summarized' && body.payload.callId === callId ? request : undefined;
        }),
      { timeoutMs: 30_000, what: `call_summarized for call ${callId}` },
    );
  }

  it('processes a signed upload of a dual-channel recording into a transcript, speakers, a summary and a signed webhook', async () => {
    const created = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjoHeaders(account.apiKey),
      payload: uploadBody({
        contacts: [{ crm: 'hubspot', crmId: 'c-42', email: 'buyer@example.com', name: 'Bea Buyer' }],
        duration: 0,
      }),
    });
    const { uploadTo } = created.json<{ uploadTo: string }>();
    const callId = callIdOfUploadUrl(uploadTo);

    const put = await putSigned(inject, uploadTo, stereoWav);

    expect(put.statusCode).toBe(201);
    const call = await waitForSettled(app, account.accountId, callId, 120_000);
    expect(call.failureReason).toBeNull();
    expect(call.state).toBe('summarized');
    expect(call.recordingChannels).toBe(2);
    expect(call.durationSeconds).toBeGreaterThan(3);

    const exported = await exportCall(callId);
    const text = exported.relations.transcript
      .map((segment: { content: string }) => segment.content)
      .join(' ');
    expect(text).toMatch(/price/);
    expect(text).toMatch(/tomorrow/);
    expect(exported.duration).toBeCloseTo(call.durationSeconds, 3);
    expect(exported.relations.summary.content.length).toBeGreaterThan(0);
    expect(exported.relations.speakers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'user', email: 'agent@example.com' }),
        expect.objectContaining({ type: 'contact', name: 'Bea Buyer', contactCrmId: 'c-42' }),
      ]),
    );
    const customer = exported.relations.speakers.find(
      (speaker: { type: string }) => speaker.type === 'contact',
    );
    const customerText = exported.relations.transcript
      .filter((segment: { speakerId: number }) => segment.speakerId === customer.speakerId)
      .map((segment: { content: string }) => segment.content)
      .join(' ');
    expect(customerText).toMatch(/price/);
    expect(exported.relations.recording.url).toContain(
      `/blobs/calls/${account.accountId}/${callId}/recording.wav`,
    );

    const delivery = await webhookFor(callId);
    const envelope = JSON.parse(delivery.body);
    expect(Object.keys(envelope)).toEqual([
      'timestamp',
      'payloadSignature',
      'webhookUuid',
      'webhookUrl',
      'tenantName',
      'eventName',
      'payload',
    ]);
    expect(envelope).toMatchObject({
      tenantName: 'Acme Sales',
      eventName: 'call_summarized',
      webhookUrl: receiver.url('/modjo'),
    });
    expect(envelope.webhookUuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(delivery.headers['x-modjo-timestamp']).toBe(envelope.timestamp);
    expect(delivery.headers['x-modjo-payload-signature']).toBe(envelope.payloadSignature);
    expect(
      verifyWebhookSignature(secret, envelope.timestamp, envelope.payload, envelope.payloadSignature),
    ).toBe(true);
    expect(
      verifyWebhookSignature('wrong-secret', envelope.timestamp, envelope.payload, envelope.payloadSignature),
    ).toBe(false);
    expect(envelope.payload).toMatchObject({
      callId,
      title: 'Discovery call',
      startDate: '2026-05-04T10:00:00.000Z',
      provider: 'manual',
      language: 'en-US',
      callCrmId: null,
      relations: {
        activity: { activityCrmId: null, activityCrmType: 'call', crmDealId: null, crmAccountId: null },
        summary: { content: exported.relations.summary.content, summaryCrmId: null },
        contacts: [
          {
            contactCrmId: 'c-42',
            contactCrmType: 'Contact',
            contactEmail: 'buyer@example.com',
            contactPhoneNumber: null,
          },
        ],
        callUsers: [{ userEmail: 'agent@example.com' }],
      },
    });
    expect(typeof envelope.payload.duration).toBe('number');
  }, 180_000);

  it('downloads a recording URL through the guarded client, measures it and summarizes it', async () => {
    const created = await inject({
      method: 'POST',
      url: '/modjo/v1/calls',
      headers: modjoHeaders(account.apiKey),
      payload: uploadBody({
        recordingUrl: fileServerUrl,
        fileExtension: 'mp3',
        duration: 600,
        name: 'Renewal',
      }),
    });
    expect(created.json()).toEqual({ success: true });
    const { id: callId } = await latestCall(app, account.accountId);

    const call = await waitForSettled(app, account.accountId, callId, 120_000);

    expect(call.failureReason).toBeNull();
    expect(call.state).toBe('summarized');
    expect(call.recordingFormat).toBe('mp3');
    // The measured length wins over the declared 600 seconds.
    expect(call.durationSeconds).toBeLessThan(30);
    expect(call.recordingSourceUrl).toBeNull();
    const exported = await exportCall(callId);
    expect(
      exported.relations.transcript.map((segment: { content: string }) => segment.content).join(' '),
    ).toMatch(/price|meeting|tomorrow/);
    const recording = await inject({
      method: 'GET',
      url:
        new URL(exported.relations.recording.url).pathname + new URL(exported.relations.recording.url).search,
    });
    expect(recording.statusCode).toBe(200);
    expect(recording.rawPayload.equals(monoMp3)).toBe(true);
    await webhookFor(callId);
  }, 180_000);

  it('fires call_recording_deleted and call_transcript_deleted through the native API, signed', async () => {
    const { id: callId } = await latestCall(app, account.accountId);
    const other = await seedAccount(app, 'Intruder');

    const foreign = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${account.accountId}/calls/${callId}/recording`,
      headers: bearer(other.apiKey),
    });
    const recording = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${account.accountId}/calls/${callId}/recording`,
      headers: bearer(account.apiKey),
    });
    const transcript = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${account.accountId}/calls/${callId}/transcript`,
      headers: bearer(account.apiKey),
    });
    const again = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${account.accountId}/calls/${callId}/recording`,
      headers: bearer(account.apiKey),
    });

    expect(foreign.statusCode).toBe(404);
    expect(recording.statusCode).toBe(200);
    expect(recording.json()).toMatchObject({
      id: callId,
      recording: null,
      recordingDeletedAt: expect.any(String),
    });
    expect(transcript.statusCode).toBe(200);
    expect(again.statusCode).toBe(404);
    for (const eventName of ['call_recording_deleted', 'call_transcript_deleted']) {
      const delivery = await waitFor(
        () => receiver.received.find((request) => JSON.parse(request.body).eventName === eventName),
        { timeoutMs: 15_000, what: eventName },
      );
      const envelope = JSON.parse(delivery.body);
      expect(envelope.payload).toEqual({
        callCrmId: null,
        callId,
        duration: expect.any(Number),
        language: 'en-US',
        provider: 'manual',
        providerCallId: String(callId),
        startDate: '2026-05-04T10:00:00.000Z',
        title: 'Renewal',
      });
      expect(
        verifyWebhookSignature(
          secret,
          envelope.timestamp,
          envelope.payload,
          delivery.headers['x-modjo-payload-signature'] as string,
        ),
      ).toBe(true);
    }
    const exported = await inject({
      method: 'POST',
      url: '/modjo/v1/calls/exports',
      headers: modjoHeaders(account.apiKey),
      payload: { filters: { deletedRecording: true }, relations: { transcript: true, recording: true } },
    });
    expect(exported.json().values.map((value: { callId: number }) => value.callId)).toEqual([callId]);
    expect(exported.json().values[0].relations).toEqual({ recording: null, transcript: [] });
  }, 60_000);
});

describe.skipIf(tools.available)('Modjo call ingestion end to end', () => {
  it.skip(`needs speech tools: ${tools.reason ?? ''}`, () => undefined);
});
