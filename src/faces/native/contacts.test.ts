import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { createLabel, ensureLabels, setLabelState } from '../../core/labels/index.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  seedTeam,
  type ChatwootClient,
} from '../chatwoot/conversations.test-kit.js';

interface ContactDto {
  id: number;
  name: string;
  email: string | null;
  conversations?: { id: number; inboxId: number; contact: { id: number } }[];
}
interface PageDto {
  data: ContactDto[];
  nextCursor: string | null;
}

describe(`native inbox API: contacts (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let otherAccountId: number;
  let otherContactId: number;
  let admin: { userId: number; token: string };
  let ann: { userId: number; token: string };
  let stranger: { userId: number; token: string };
  let supportId: number;
  let salesId: number;
  const named: number[] = [];
  let anonymousId: number;
  let chatwoot: ChatwootClient;

  const get = (token: string, path: string, account = accountId) =>
    injector(app)({ method: 'GET', url: `/api/v1/accounts/${account}${path}`, headers: bearer(token) });

  beforeAll(async () => {
    app = await createTestApp();
    const account = await seedAccount(app, 'Acme');
    accountId = account.accountId;
    admin = await seedAgent(app, accountId, { role: 'administrator' });
    ann = await seedAgent(app, accountId, { name: 'Ann' });
    supportId = await seedInbox(app, accountId, { name: 'Support', memberIds: [ann.userId] });
    salesId = await seedInbox(app, accountId, { name: 'Sales' });
    for (let index = 0; index < 11; index++) {
      named.push(await seedContact(app, accountId, { name: `Person ${index}`, email: `p${index}@acme.io` }));
    }
    const [anonymous] = await app.parley.ctx.db
      .insert(contacts)
      .values({ accountId, name: 'Visitor' })
      .returning({ id: contacts.id });
    anonymousId = anonymous?.id ?? 0;
    chatwoot = chatwootClient(app, account.apiKey);
    for (const inboxId of [supportId, salesId]) {
      await openConversation(chatwoot, accountId, { inbox_id: inboxId, contact_id: named[0] ?? 0 });
    }

    const other = await seedAccount(app, 'Globex');
    otherAccountId = other.accountId;
    stranger = await seedAgent(app, other.accountId, { role: 'administrator' });
    otherContactId = await seedContact(app, other.accountId, {
      name: 'Person of Globex',
      email: 'p@globex.io',
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('pages through every contact once, newest first, leaving anonymous visitors out', async () => {
    const seen: ContactDto[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(admin.token, `/contacts?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      const page: PageDto = response.json<PageDto>();
      expect(page.data.length).toBeLessThanOrEqual(4);
      seen.push(...page.data);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((contact) => contact.id)).toEqual([...named].reverse());
    expect(seen.map((contact) => contact.id)).not.toContain(anonymousId);
    expect(seen.map((contact) => contact.id)).not.toContain(otherContactId);
    expect(seen[0]).toEqual({
      id: named.at(-1),
      name: 'Person 10',
      email: 'p10@acme.io',
      phoneNumber: null,
      avatarUrl: null,
      identifier: null,
      customAttributes: {},
      additionalAttributes: {},
      labels: [],
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      lastActivityAt: null,
    });
  });

  it('searches name, email and phone within the account', async () => {
    const byName = (await get(admin.token, '/contacts?q=person 1')).json<PageDto>().data;
    expect(byName.map((contact) => contact.name).sort()).toEqual(['Person 1', 'Person 10']);
    const byEmail = (await get(admin.token, '/contacts?q=p3@acme')).json<PageDto>().data;
    expect(byEmail.map((contact) => contact.id)).toEqual([named[3]]);
    expect((await get(admin.token, '/contacts?q=Globex')).json<PageDto>().data).toEqual([]);
  });

  it('refuses malformed cursors and limits with 422', async () => {
    for (const query of [
      'cursor=abc',
      'cursor=0',
      'cursor=-3',
      'cursor=99999999999999999999',
      'limit=0',
      'limit=101',
    ]) {
      const response = await get(admin.token, `/contacts?${query}`);
      expect(response.statusCode, query).toBe(422);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
  });

  it('shows one contact with the conversations the caller may see', async () => {
    const forAdmin = (await get(admin.token, `/contacts/${named[0]}`)).json<ContactDto>();
    expect(forAdmin).toMatchObject({ id: named[0], name: 'Person 0' });
    expect(forAdmin.conversations?.map((item) => item.inboxId).sort()).toEqual([supportId, salesId].sort());
    expect(forAdmin.conversations?.[0]?.contact.id).toBe(named[0]);
    // Ann answers Support only.
    const forAnn = (await get(ann.token, `/contacts/${named[0]}`)).json<ContactDto>();
    expect(forAnn.conversations?.map((item) => item.inboxId)).toEqual([supportId]);
    expect((await get(admin.token, `/contacts/${named[1]}`)).json<ContactDto>().conversations).toEqual([]);
  });

  it('never shows another account’s contacts', async () => {
    expect((await get(admin.token, `/contacts/${otherContactId}`)).statusCode).toBe(404);
    expect((await get(stranger.token, `/contacts/${named[0]}`)).statusCode).toBe(404);
    expect((await get(stranger.token, '/contacts')).statusCode).toBe(404);
    const theirs = (await get(stranger.token, '/contacts', otherAccountId)).json<PageDto>();
    expect(theirs.data.map((contact) => contact.id)).toEqual([otherContactId]);
  });

  describe('catalogues for the inbox', () => {
    it('lists the inboxes an agent answers, and every inbox to an administrator', async () => {
      expect((await get(ann.token, '/inboxes')).json()).toEqual({
        data: [{ id: supportId, name: 'Support', channelType: 'api' }],
      });
      const all = (await get(admin.token, '/inboxes')).json<{ data: { id: number }[] }>().data;
      expect(all.map((inbox) => inbox.id).sort()).toEqual([supportId, salesId].sort());
      expect((await get(stranger.token, '/inboxes')).statusCode).toBe(404);
    });

    it('lists teams and active labels', async () => {
      const teamId = await seedTeam(app, accountId, [ann.userId], { name: 'Tier 1' });
      expect((await get(ann.token, '/teams')).json()).toEqual({ data: [{ id: teamId, name: 'Tier 1' }] });
      const db = app.parley.ctx.db;
      const vip = await createLabel(db, { accountId, name: 'vip', color: '#ff0000', actor: undefined });
      await ensureLabels(db, accountId, ['billing']);
      const old = await createLabel(db, { accountId, name: 'old', actor: undefined });
      await setLabelState(db, { accountId, uuid: old.uuid, state: 'inactive', actor: undefined });
      expect((await get(ann.token, '/labels')).json()).toEqual({
        data: [
          { id: expect.any(Number), title: 'billing', color: null },
          { id: vip.id, title: 'vip', color: '#ff0000' },
        ],
      });
      expect((await get(stranger.token, '/labels')).statusCode).toBe(404);
    });

    it('lists canned responses, searched by short code or content', async () => {
      for (const [shortCode, content] of [
        ['thanks', 'Thank you for writing'],
        ['refund', 'Refunds take 5 days'],
      ]) {
        const created = await chatwoot.post(`/api/v1/accounts/${accountId}/canned_responses`, {
          short_code: shortCode,
          content,
        });
        expect(created.statusCode, created.body).toBe(200);
      }
      expect((await get(ann.token, '/canned-responses?q=refund')).json()).toEqual({
        data: [{ id: expect.any(Number), shortCode: 'refund', content: 'Refunds take 5 days' }],
      });
      const all = (await get(ann.token, '/canned-responses')).json<{ data: { shortCode: string }[] }>().data;
      expect(all.map((item) => item.shortCode)).toEqual(['refund', 'thanks']);
      expect((await get(stranger.token, '/canned-responses')).statusCode).toBe(404);
    });
  });

  it('documents the inbox routes in the OpenAPI document', async () => {
    const response = await injector(app)({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = response.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    const base = '/api/v1/accounts/{accountId}';
    expect(Object.keys(paths[`${base}/conversations/{conversationId}`] ?? {}).sort()).toEqual([
      'get',
      'patch',
    ]);
    expect(Object.keys(paths[`${base}/conversations/{conversationId}/messages`] ?? {}).sort()).toEqual([
      'get',
      'post',
    ]);
    for (const path of [
      'conversations',
      'contacts',
      'contacts/{contactId}',
      'inboxes',
      'teams',
      'labels',
      'canned-responses',
    ]) {
      expect(paths[`${base}/${path}`]?.get, path).toBeDefined();
    }
  });
});
