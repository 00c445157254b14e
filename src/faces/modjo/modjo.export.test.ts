import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import {
  callContacts,
  callHighlights,
  calls,
  callSpeakers,
  callTagLinks,
  callTags,
  callTopics,
  transcriptSegments,
} from '../../core/calls/calls.tables.js';
import { createModjoUser, modjoHeaders } from './modjo-test-kit.js';

const DAY = 86_400_000;
const BASE = Date.parse('2025-01-01T09:00:00.000Z');

describe(`Modjo POST /v1/calls/exports (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { id: number; email: string };
  let workDir: string;
  const ids: number[] = [];
  let deletedId: number;
  let foreignId: number;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'parley-export-'));
    app = await createTestApp({ PARLEY_DATA_DIR: path.join(workDir, 'data') });
    inject = injector(app);
    a = await seedAccount(app, 'Exporter');
    b = await seedAccount(app, 'Other');
    agent = await createModjoUser(inject, a.apiKey, 'agent@example.com');
    const db = app.parley.ctx.db;
    const [contact] = await db
      .insert(contacts)
      .values({
        accountId: a.accountId,
        name: 'Bea Buyer',
        email: 'bea@example.com',
        identifier: 'crm-7',
        additionalAttributes: { crm: 'hubspot' },
      })
      .returning();
    const [tag] = await db
      .insert(callTags)
      .values({ accountId: a.accountId, name: 'Hot lead', color: 'F00', providerTagId: 'p-1' })
      .returning();
    for (let index = 0; index < 12; index += 1) {
      const key = `calls/${a.accountId}/x${index}/recording.wav`;
      await app.parley.ctx.storage.put(key, Buffer.from(`audio-${index}`), { contentType: 'audio/wav' });
      const [call] = await db
        .insert(calls)
        .values({
          accountId: a.accountId,
          title: index === 11 ? 'Quarterly Review with Bea' : `Call ${index}`,
          startedAt: new Date(BASE + index * DAY),
          durationSeconds: 100 + index * 10,
          provider: 'manual',
          direction: 'outbound',
          userId: agent.id,
          state: 'summarized',
          recordingExtension: 'wav',
          recordingKey: key,
          recordingFormat: 'wav',
          recordingSize: 7,
          recordingDurationSeconds: 100 + index * 10,
          crmAccountId: 'acc-1',
          crmAccountProvider: 'salesforce',
          language: 'fr',
          summary: `Summary ${index}`,
          summaryEngine: 'extractive',
        })
        .returning();
      const callId = call?.id as number;
      ids.push(callId);
      await db
        .insert(callContacts)
        .values({ accountId: a.accountId, callId, contactId: contact?.id as number });
      await db.insert(callTagLinks).values({ accountId: a.accountId, callId, tagId: tag?.id as number });
      const speakers = await db
        .insert(callSpeakers)
        .values([
          { accountId: a.accountId, callId, kind: 'user', userId: agent.id, channel: 0 },
          { accountId: a.accountId, callId, kind: 'contact', contactId: contact?.id as number, channel: 1 },
        ])
        .returning();
      await db.insert(transcriptSegments).values([
        {
          accountId: a.accountId,
          callId,
          speakerId: speakers[0]?.id as number,
          startSeconds: 0,
          endSeconds: 2.5,
          text: `hello ${index}`,
          confidence: 0.9,
        },
        {
          accountId: a.accountId,
          callId,
          speakerId: speakers[1]?.id as number,
          startSeconds: 2.5,
          endSeconds: 4,
          text: 'what is the price',
          confidence: null,
        },
      ]);
      await db.insert(callHighlights).values({
        accountId: a.accountId,
        callId,
        speakerId: speakers[1]?.id as number,
        text: 'what is the price',
        startSeconds: 2.5,
        endSeconds: 4,
      });
      await db
        .insert(callTopics)
        .values({ accountId: a.accountId, callId, name: 'pricing', score: 0.8, startSeconds: 2.5 });
    }
    const [deleted] = await db
      .insert(calls)
      .values({
        accountId: a.accountId,
        title: 'Deleted recording',
        startedAt: new Date(BASE - DAY),
        durationSeconds: 300,
        state: 'summarized',
        recordingExtension: 'mp3',
        recordingDeletedAt: new Date(),
      })
      .returning();
    deletedId = deleted?.id as number;
    await db.insert(calls).values([
      {
        accountId: a.accountId,
        title: 'Waiting',
        startedAt: new Date(BASE),
        state: 'pending_upload',
        recordingExtension: 'wav',
      },
      {
        accountId: a.accountId,
        title: 'Broken',
        startedAt: new Date(BASE),
        state: 'failed',
        failureReason: 'x',
        recordingExtension: 'wav',
      },
    ]);
    const [foreign] = await db
      .insert(calls)
      .values({
        accountId: b.accountId,
        title: 'Call foreign',
        startedAt: new Date(BASE),
        state: 'summarized',
        recordingExtension: 'wav',
      })
      .returning();
    foreignId = foreign?.id as number;
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  });

  async function exportAs(key: string, body: Record<string, unknown>) {
    const response = await inject({
      method: 'POST',
      url: '/modjo/v1/calls/exports',
      headers: modjoHeaders(key),
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    return response.json<{
      pagination: Record<string, number>;
      values: ({ callId: number; relations: Record<string, unknown> } & Record<string, unknown>)[];
    }>();
  }

  const callIdsOf = (page: { values: { callId: number }[] }) => page.values.map((value) => value.callId);

  it('pages newest first with Modjo pagination data, leaving out calls without a recording yet', async () => {
    const first = await exportAs(a.apiKey, { pagination: { page: 1, perPage: 5 } });
    const last = await exportAs(a.apiKey, { pagination: { page: 3, perPage: 5 } });
    const beyond = await exportAs(a.apiKey, { pagination: { page: 9, perPage: 5 } });

    expect(first.pagination).toEqual({ page: 1, perPage: 5, nextPage: 2, totalValues: 13, lastPage: 3 });
    expect(callIdsOf(first)).toEqual(ids.slice(7).reverse());
    expect(last.pagination).toEqual({ page: 3, perPage: 5, totalValues: 13, lastPage: 3 });
    expect(callIdsOf(last)).toEqual([ids[1], ids[0], deletedId]);
    expect(beyond.values).toEqual([]);
  });

  it('returns the call fields with their seed types and no relations unless asked', async () => {
    const page = await exportAs(a.apiKey, { filters: { callIds: [ids[0]] } });

    expect(page.values).toEqual([
      {
        callId: ids[0],
        title: 'Call 0',
        startDate: '2025-01-01T09:00:00.000Z',
        duration: 100,
        provider: 'manual',
        providerCallId: String(ids[0]),
        direction: 'outbound',
        language: 'fr-FR',
        callCrmId: null,
        relations: {},
      },
    ]);
  });

  it.each([
    [
      'a start date range (inclusive)',
      () => ({ callStartDateRange: { start: '2025-01-03', end: '2025-01-05T09:00:00.000Z' } }),
      () => [ids[4], ids[3], ids[2]],
    ],
    ['a minimum duration', () => ({ minimumCallDuration: 200 }), () => [ids[11], ids[10], deletedId]],
    ['a title (case-insensitive, partial)', () => ({ callTitle: 'quarterly' }), () => [ids[11]]],
    ['call ids', () => ({ callIds: [ids[5], ids[6], foreignId] }), () => [ids[6], ids[5]]],
    ['deleted recordings', () => ({ deletedRecording: true }), () => [deletedId]],
    // A bare date is midnight UTC: the 8th's 09:00 call falls outside.
    [
      'several filters at once',
      () => ({ minimumCallDuration: 150, callStartDateRange: { start: '2025-01-01', end: '2025-01-08' } }),
      () => [ids[6], ids[5]],
    ],
  ])('filters by %s', async (_case, filters, expected) => {
    const page = await exportAs(a.apiKey, { pagination: { page: 1, perPage: 50 }, filters: filters() });

    expect(callIdsOf(page)).toEqual(expected());
    expect(page.pagination.totalValues).toBe(expected().length);
  });

  it('loads every relation in the seed names and types', async () => {
    const page = await exportAs(a.apiKey, {
      filters: { callIds: [ids[3]] },
      relations: {
        recording: true,
        contacts: true,
        account: true,
        deal: true,
        users: true,
        libraries: true,
        tags: true,
        transcript: true,
        topics: true,
        speakers: true,
        aiSummary: true,
        summary: true,
        highlights: true,
        reviews: true,
        aiScoringResults: true,
      },
    });

    const relations = page.values[0]?.relations as Record<string, unknown>;
    const [userSpeaker, contactSpeaker] = relations.speakers as { speakerId: number }[];
    expect(relations).toEqual({
      recording: {
        url: expect.stringMatching(/\/blobs\/calls\/.*recording\.wav\?expires=\d+.*signature=[0-9a-f]{64}/),
        format: 'wav',
        duration: 130,
        size: 7,
      },
      contacts: [
        {
          contactId: expect.any(Number),
          name: 'Bea Buyer',
          contactCrmId: 'crm-7',
          contactCrmType: 'Contact',
          contactEmail: 'bea@example.com',
          contactPhoneNumber: null,
        },
      ],
      users: [{ userId: agent.id, userEmail: 'agent@example.com', name: 'Ada Lovelace' }],
      account: { crmId: 'acc-1', crm: 'salesforce' },
      deal: null,
      tags: [{ modjoTagId: expect.any(Number), name: 'Hot lead', color: 'F00', providerTagId: 'p-1' }],
      transcript: [
        { speakerId: userSpeaker?.speakerId, startTime: 0, endTime: 2.5, content: 'hello 3' },
        { speakerId: contactSpeaker?.speakerId, startTime: 2.5, endTime: 4, content: 'what is the price' },
      ],
      speakers: [
        {
          userId: agent.id,
          userCrmId: null,
          email: 'agent@example.com',
          name: 'Ada Lovelace',
          speakerId: expect.any(Number),
          type: 'user',
        },
        {
          contactId: expect.any(Number),
          name: 'Bea Buyer',
          phoneNumber: null,
          email: 'bea@example.com',
          contactCrmId: 'crm-7',
          speakerId: expect.any(Number),
          type: 'contact',
        },
      ],
      summary: {
        content: 'Summary 3',
        templateUuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        summaryCrmId: null,
      },
      highlights: [
        { speakerId: contactSpeaker?.speakerId, startTime: 2.5, endTime: 4, content: 'what is the price' },
      ],
      aiSummary: [
        { speakerId: contactSpeaker?.speakerId, startTime: 2.5, endTime: 4, content: 'what is the price' },
      ],
      topics: [{ name: 'pricing', score: expect.closeTo(0.8, 5), startTime: 2.5 }],
      libraries: [],
      reviews: [],
      aiScoringResults: [],
    });
    const url = new URL((relations.recording as { url: string }).url);
    const download = await inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('audio-3');
  });

  it('loads the transcript relation for a full page', async () => {
    const page = await exportAs(a.apiKey, {
      pagination: { page: 1, perPage: 50 },
      relations: { transcript: true },
    });

    const withText = page.values.filter((value) => (value.relations.transcript as unknown[]).length === 2);
    expect(withText).toHaveLength(12);
    expect(page.values.find((value) => value.callId === deletedId)?.relations.transcript).toEqual([]);
  });

  it("never exports another account's calls", async () => {
    const page = await exportAs(b.apiKey, {
      pagination: { page: 1, perPage: 50 },
      filters: { callIds: ids },
      relations: { transcript: true },
    });
    const own = await exportAs(b.apiKey, {});

    expect(page.values).toEqual([]);
    expect(callIdsOf(own)).toEqual([foreignId]);
  });

  it('serves one call on the native API with a playable recording link, 404 for another account', async () => {
    const own = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/calls/${ids[2]}`,
      headers: bearer(a.apiKey),
    });
    const foreignKey = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/calls/${ids[2]}`,
      headers: bearer(b.apiKey),
    });
    const foreignCall = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/calls/${foreignId}`,
      headers: bearer(a.apiKey),
    });

    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      id: ids[2],
      state: 'summarized',
      summary: 'Summary 2',
      durationSeconds: 120,
      recording: { format: 'wav', size: 7 },
    });
    const url = new URL(own.json<{ recording: { url: string } }>().recording.url);
    expect((await inject({ method: 'GET', url: `${url.pathname}${url.search}` })).body).toBe('audio-2');
    expect(foreignKey.statusCode).toBe(404);
    expect(foreignCall.statusCode).toBe(404);
  });
});
