import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import {
  callHighlights,
  calls,
  callSpeakers,
  callTagLinks,
  callTags,
  callTopics,
  transcriptSegments,
  type CallState,
} from '../../core/calls/calls.tables.js';
import { recordingKeyOf } from '../../core/calls/call-settings.js';
import { seedAgent } from '../chatwoot/conversations.test-kit.js';
import {
  silentWav,
  statementsDuring,
  type CallDetailDto,
  type CallPageDto as PageDto,
  type ErrorDto,
} from './calls.test-kit.js';

describe(`native calls library API (${backendName})`, () => {
  let app: TestApp;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let ann: { userId: number; token: string; name: string };
  let bob: { userId: number; token: string; name: string };
  let stranger: { userId: number; token: string; name: string };
  /** Acme's calls, in the order the library must list them. */
  const ordered: number[] = [];
  const ids: Record<string, number> = {};
  let vipTagId: number;
  let otherTagId: number;
  let globexCallId: number;

  const url = (path: string, account = acme.accountId) => `/api/v1/accounts/${account}${path}`;
  const get = (token: string, path: string) =>
    injector(app)({ method: 'GET', url: path, headers: bearer(token) });
  const list = async (token: string, query = '') => {
    const response = await get(token, url(`/calls${query ? `?${query}` : ''}`));
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PageDto>();
  };

  async function insertCall(
    accountId: number,
    values: { title: string; startedAt: string | null; userId?: number; state?: CallState },
  ): Promise<number> {
    const [row] = await app.parley.ctx.db
      .insert(calls)
      .values({
        accountId,
        title: values.title,
        startedAt: values.startedAt === null ? null : new Date(values.startedAt),
        userId: values.userId ?? null,
        state: values.state ?? 'summarized',
        recordingExtension: 'wav',
        durationSeconds: 30,
      })
      .returning({ id: calls.id });
    if (!row) throw new Error('no call');
    return row.id;
  }

  beforeAll(async () => {
    app = await createTestApp();
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    ann = await seedAgent(app, acme.accountId, { name: 'Ann' });
    bob = await seedAgent(app, acme.accountId, { name: 'Bob' });
    stranger = await seedAgent(app, globex.accountId, { name: 'Stranger', role: 'administrator' });
    const db = app.parley.ctx.db;

    // Inserted out of order; the tie (same start) is broken by id, newest id first.
    ids.march = await insertCall(acme.accountId, {
      title: 'March',
      startedAt: '2026-03-10T09:00:00Z',
      userId: ann.userId,
    });
    ids.januaryA = await insertCall(acme.accountId, {
      title: 'January A',
      startedAt: '2026-01-15T12:00:00Z',
      userId: bob.userId,
    });
    ids.february = await insertCall(acme.accountId, {
      title: 'February',
      startedAt: '2026-02-28T23:59:59.999Z',
      userId: ann.userId,
    });
    ids.januaryB = await insertCall(acme.accountId, {
      title: 'January B',
      startedAt: '2026-01-15T12:00:00Z',
      userId: ann.userId,
    });
    ids.undated = await insertCall(acme.accountId, {
      title: 'Undated',
      startedAt: null,
      userId: bob.userId,
      state: 'transcribing',
    });
    ordered.push(ids.undated, ids.march, ids.february, ids.januaryB, ids.januaryA);

    const [vip] = await db
      .insert(callTags)
      .values({ accountId: acme.accountId, name: 'vip', color: 'C2185B' })
      .returning({ id: callTags.id });
    const [churn] = await db
      .insert(callTags)
      .values({ accountId: acme.accountId, name: 'churn' })
      .returning({ id: callTags.id });
    const [foreign] = await db
      .insert(callTags)
      .values({ accountId: globex.accountId, name: 'vip' })
      .returning({ id: callTags.id });
    vipTagId = vip?.id ?? 0;
    otherTagId = foreign?.id ?? 0;
    await db.insert(callTagLinks).values([
      { accountId: acme.accountId, callId: ids.march, tagId: vipTagId },
      { accountId: acme.accountId, callId: ids.march, tagId: churn?.id ?? 0 },
      { accountId: acme.accountId, callId: ids.januaryA, tagId: vipTagId },
    ]);

    globexCallId = await insertCall(globex.accountId, {
      title: 'Globex secret',
      startedAt: '2026-03-11T00:00:00Z',
    });
    await db
      .insert(callTagLinks)
      .values({ accountId: globex.accountId, callId: globexCallId, tagId: otherTagId });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('the list', () => {
    it('lists newest start first (an undated call first, ties by id) with user and tags', async () => {
      const page = await list(ann.token);
      expect(page.data.map((call) => call.id)).toEqual(ordered);
      expect(page.nextCursor).toBeNull();
      const march = page.data.find((call) => call.id === ids.march);
      expect(march).toMatchObject({
        title: 'March',
        startedAt: '2026-03-10T09:00:00.000Z',
        state: 'summarized',
        userId: ann.userId,
        user: { id: ann.userId, name: 'Ann' },
        contacts: [],
        recording: null,
      });
      expect(march?.tags.map((tag) => tag.name)).toEqual(['churn', 'vip']);
      expect(march?.tags.find((tag) => tag.name === 'vip')).toEqual({
        id: vipTagId,
        name: 'vip',
        color: 'C2185B',
      });
      expect(page.data.find((call) => call.id === ids.undated)).toMatchObject({
        startedAt: null,
        tags: [],
        state: 'transcribing',
      });
    });

    it('walks pages with nextCursor without skipping or repeating a call', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: PageDto = await list(ann.token, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((call) => call.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(ordered);
    });

    it('filters by user, start range (dates are whole UTC days) and tag, combined', async () => {
      const ofAnn = await list(ann.token, `userId=${ann.userId}`);
      expect(ofAnn.data.map((call) => call.id)).toEqual([ids.march, ids.february, ids.januaryB]);
      const february = await list(ann.token, 'from=2026-02-01&to=2026-02-28');
      expect(february.data.map((call) => call.id)).toEqual([ids.february]);
      const instants = await list(
        ann.token,
        `from=${encodeURIComponent('2026-01-15T13:00:00+01:00')}&to=${encodeURIComponent('2026-03-10T09:00:00Z')}`,
      );
      expect(instants.data.map((call) => call.id)).toEqual([
        ids.march,
        ids.february,
        ids.januaryB,
        ids.januaryA,
      ]);
      const vip = await list(ann.token, `tag=${vipTagId}`);
      expect(vip.data.map((call) => call.id)).toEqual([ids.march, ids.januaryA]);
      const vipOfBob = await list(ann.token, `tag=${vipTagId}&userId=${bob.userId}&from=2026-01-01`);
      expect(vipOfBob.data.map((call) => call.id)).toEqual([ids.januaryA]);
    });

    it('costs one statement for the page and one for its relations', async () => {
      let status = 0;
      const small = await statementsDuring(app, async () => {
        status = (await get(ann.token, url('/calls?limit=1'))).statusCode;
      });
      expect(status).toBe(200);
      const large = await statementsDuring(app, async () => {
        status = (await get(ann.token, url(`/calls?limit=50&tag=${vipTagId}`))).statusCode;
      });
      expect(status).toBe(200);
      // Authentication and account access read a fixed number of rows before the route runs.
      const routeStatements = (all: string[]) => all.filter((text) => /"call/.test(text));
      expect(routeStatements(small)).toHaveLength(2);
      expect(routeStatements(large)).toHaveLength(2);
    });

    it('refuses bad filters and cursors with a 4xx naming the parameter', async () => {
      const cases: [string, string][] = [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['userId=abc', 'userId'],
        ['from=yesterday', 'from'],
        ['to=2026-02-30T25:00:00Z', 'to'],
        ['tag=-1', 'tag'],
        ['cursor=not-a-cursor', 'cursor'],
        [
          `cursor=${Buffer.from('{"t":"2026-02-31T00:00:00.000000Z","i":1}').toString('base64url')}`,
          'cursor',
        ],
        [`cursor=${Buffer.from('{"t":"1 OR 1=1","i":1}').toString('base64url')}`, 'cursor'],
        ['from=2026-03-01&to=2026-02-01', 'from'],
      ];
      for (const [query, path] of cases) {
        const response = await get(ann.token, url(`/calls?${query}`));
        expect(response.statusCode, query).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, query).toBeLessThan(500);
        const body = response.json<ErrorDto>();
        expect(body.error.details.map((detail) => detail.path).join(' '), query).toContain(path);
      }
    });

    it("never shows another account's calls or tags", async () => {
      const page = await list(ann.token, 'limit=100');
      expect(page.data.map((call) => call.id)).not.toContain(globexCallId);
      expect((await list(ann.token, `tag=${otherTagId}`)).data).toEqual([]);
      const tags = await get(ann.token, url('/call-tags'));
      expect(tags.json<{ data: { name: string }[] }>().data.map((tag) => tag.name)).toEqual(['churn', 'vip']);
      // A member of another account is not let into this one at all.
      expect((await get(stranger.token, url('/calls'))).statusCode).toBe(404);
      expect((await get(stranger.token, url('/call-tags'))).statusCode).toBe(404);
    });
  });

  it('is described in the OpenAPI document (list, tags, detail, upload)', async () => {
    const document = (await injector(app)({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const collection = document.paths['/api/v1/accounts/{accountId}/calls'];
    expect(Object.keys(collection ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(document.paths['/api/v1/accounts/{accountId}/call-tags']).toBeDefined();
    expect(document.paths['/api/v1/accounts/{accountId}/calls/{callId}']).toBeDefined();
  });

  describe('one call', () => {
    let callId: number;

    beforeAll(async () => {
      const db = app.parley.ctx.db;
      callId = await insertCall(acme.accountId, {
        title: 'Detailed',
        startedAt: '2026-03-12T10:00:00Z',
        userId: ann.userId,
      });
      const key = recordingKeyOf(acme.accountId, callId, 'wav');
      const stored = await app.parley.ctx.storage.put(key, silentWav(2), { contentType: 'audio/wav' });
      await db
        .update(calls)
        .set({
          recordingKey: key,
          recordingSize: stored.size,
          recordingContentType: 'audio/wav',
          summary: 'They agreed on a price.',
        })
        .where(eq(calls.id, callId));
      const [agent] = await db
        .insert(callSpeakers)
        .values({ accountId: acme.accountId, callId, kind: 'user', userId: ann.userId })
        .returning({ id: callSpeakers.id });
      await db.insert(transcriptSegments).values([
        {
          accountId: acme.accountId,
          callId,
          speakerId: agent?.id ?? null,
          startSeconds: 4,
          endSeconds: 6,
          text: 'second',
        },
        {
          accountId: acme.accountId,
          callId,
          speakerId: agent?.id ?? null,
          startSeconds: 0.5,
          endSeconds: 3,
          text: 'first',
        },
      ]);
      await db.insert(callHighlights).values({
        accountId: acme.accountId,
        callId,
        speakerId: agent?.id ?? null,
        text: 'first',
        startSeconds: 0.5,
        endSeconds: 3,
      });
      await db
        .insert(callTopics)
        .values({ accountId: acme.accountId, callId, name: 'price', score: 0.8, startSeconds: 4 });
    });

    it('has its transcript in time order with speaker names, summary, highlights, topics and a playable recording', async () => {
      const response = await get(ann.token, url(`/calls/${callId}`));
      expect(response.statusCode).toBe(200);
      const call = response.json<CallDetailDto>();
      expect(call).toMatchObject({
        id: callId,
        title: 'Detailed',
        summary: 'They agreed on a price.',
        user: { id: ann.userId, name: 'Ann' },
        transcript: [
          { speaker: 'Ann', startSeconds: 0.5, endSeconds: 3, text: 'first' },
          { speaker: 'Ann', startSeconds: 4, endSeconds: 6, text: 'second' },
        ],
        highlights: [{ speaker: 'Ann', startSeconds: 0.5, text: 'first' }],
        topics: [{ name: 'price', startSeconds: 4 }],
      });
      // The signed link answers byte ranges: an <audio> element can seek without downloading it all.
      const link = new URL(call.recording?.url ?? '');
      const range = await injector(app)({
        method: 'GET',
        url: `${link.pathname}${link.search}`,
        headers: { range: 'bytes=44-99' },
      });
      expect(range.statusCode).toBe(206);
      expect(range.headers['content-range']).toBe(`bytes 44-99/${silentWav(2).length}`);
      expect(range.rawPayload).toHaveLength(56);
    });

    it("is 404 from another account, and another account's call is 404 here", async () => {
      expect((await get(ann.token, url(`/calls/${globexCallId}`))).statusCode).toBe(404);
      expect((await get(stranger.token, url(`/calls/${globexCallId}`, globex.accountId))).statusCode).toBe(
        200,
      );
      expect((await get(stranger.token, url(`/calls/${callId}`, globex.accountId))).statusCode).toBe(404);
      const transcriptRows = await app.parley.ctx.db
        .select({ id: transcriptSegments.id })
        .from(transcriptSegments)
        .where(
          and(eq(transcriptSegments.accountId, globex.accountId), eq(transcriptSegments.callId, callId)),
        );
      expect(transcriptRows).toEqual([]);
    });
  });
});
