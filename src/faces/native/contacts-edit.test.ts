import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from '../chatwoot/conversations.test-kit.js';

interface ContactDto {
  id: number;
  name: string;
  email: string | null;
  phoneNumber: string | null;
  customAttributes: Record<string, unknown>;
  labels: string[];
  conversations?: { id: number; contact: { id: number } }[];
}

/** The contacts screen's changes: fields, custom attributes, labels, merge; and the label filter. */
describe(`native API: editing and merging contacts (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let token: string;
  let inboxId: number;
  let otherAccount: { accountId: number; apiKey: string };

  const call = (options: InjectOptions & { url: string }, as = token) =>
    injector(app)({
      ...options,
      url: `/api/v1/accounts/${accountId}${options.url}`,
      headers: bearer(as),
    });

  beforeAll(async () => {
    app = await createTestApp();
    ({ accountId } = await seedAccount(app, 'Acme'));
    otherAccount = await seedAccount(app, 'Globex');
    const agent = await seedAgent(app, accountId, { name: 'Ann' });
    token = agent.token;
    inboxId = await seedInbox(app, accountId, { memberIds: [agent.userId] });
  });
  afterAll(async () => {
    await app.close();
  });

  it('changes fields, merges custom attributes, replaces labels, and filters by label', async () => {
    const id = await seedContact(app, accountId, { name: 'Jane', email: 'jane@acme.io' });
    const first = await call({
      method: 'PATCH',
      url: `/contacts/${id}`,
      payload: {
        phoneNumber: '+33612345678',
        customAttributes: { plan: 'gold' },
        labels: ['VIP', 'lead'],
      },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<ContactDto>()).toMatchObject({
      name: 'Jane',
      phoneNumber: '+33612345678',
      customAttributes: { plan: 'gold' },
      labels: ['lead', 'vip'],
    });
    const second = await call({
      method: 'PATCH',
      url: `/contacts/${id}`,
      payload: { name: 'Jane Doe', customAttributes: { seats: 12 } },
    });
    expect(second.json<ContactDto>()).toMatchObject({
      name: 'Jane Doe',
      customAttributes: { plan: 'gold', seats: 12 },
      labels: ['lead', 'vip'],
    });

    await seedContact(app, accountId, { name: 'Other', email: 'other@acme.io' });
    const vip = await call({ method: 'GET', url: '/contacts?label=vip' });
    expect(vip.json<{ data: ContactDto[] }>().data.map((contact) => contact.id)).toEqual([id]);
  });

  it('refuses bad changes with the field named, and changes nothing', async () => {
    const id = await seedContact(app, accountId, { name: 'Kim', email: 'kim@acme.io' });
    await seedContact(app, accountId, { name: 'Lee', email: 'lee@acme.io' });
    const cases: [object, string][] = [
      [{ name: '' }, 'name'],
      [{ unknown: 1 }, 'unknown'],
      [{ labels: ['not a label!'] }, 'labels'],
      [{ email: 'lee@acme.io' }, 'email'],
      [{ phoneNumber: '06 12' }, 'phone'],
    ];
    for (const [payload, field] of cases) {
      const response = await call({ method: 'PATCH', url: `/contacts/${id}`, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      expect(JSON.stringify(response.json<{ error: unknown }>().error), JSON.stringify(payload)).toContain(
        field,
      );
    }
    const unchanged = await call({ method: 'GET', url: `/contacts/${id}` });
    expect(unchanged.json<ContactDto>()).toMatchObject({ name: 'Kim', email: 'kim@acme.io', labels: [] });
  });

  it('merges another contact: its conversations move, missing fields are filled, it is gone', async () => {
    const base = await seedContact(app, accountId, { name: 'Maria' });
    const mergee = await seedContact(app, accountId, { name: 'Maria S.', email: 'maria@acme.io' });
    const client = chatwootClient(app, token);
    await openConversation(client, accountId, { inbox_id: inboxId, contact_id: mergee });

    const merged = await call({
      method: 'POST',
      url: `/contacts/${base}/merge`,
      payload: { mergeeId: mergee },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json<ContactDto>()).toMatchObject({ id: base, name: 'Maria', email: 'maria@acme.io' });
    const page = (await call({ method: 'GET', url: `/contacts/${base}` })).json<ContactDto>();
    expect(page.conversations?.map((conversation) => conversation.contact.id)).toEqual([base]);
    expect((await call({ method: 'GET', url: `/contacts/${mergee}` })).statusCode).toBe(404);

    const itself = await call({
      method: 'POST',
      url: `/contacts/${base}/merge`,
      payload: { mergeeId: base },
    });
    expect(itself.statusCode).toBe(422);
    expect(itself.json()).toMatchObject({ error: { details: [{ path: 'body.mergeeId' }] } });
  });

  it("never reaches another account's contacts", async () => {
    const theirs = await seedContact(app, otherAccount.accountId, { name: 'Theirs', email: 't@globex.io' });
    const mine = await seedContact(app, accountId, { name: 'Mine', email: 'mine@acme.io' });
    const patched = await call({ method: 'PATCH', url: `/contacts/${theirs}`, payload: { name: 'Stolen' } });
    expect(patched.statusCode).toBe(404);
    const merged = await call({
      method: 'POST',
      url: `/contacts/${mine}/merge`,
      payload: { mergeeId: theirs },
    });
    expect(merged.statusCode).toBe(404);
    const still = await injector(app)({
      method: 'GET',
      url: `/api/v1/accounts/${otherAccount.accountId}/contacts/${theirs}`,
      headers: bearer(otherAccount.apiKey),
    });
    expect(still.json<ContactDto>().name).toBe('Theirs');
  });
});
