import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { contactInboxes, contacts } from '../../core/contacts/contacts.tables.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { insertConversation, insertInbox } from '../../core/filters/filter-test-kit.js';
import { contactsClient, expectSeedContactShape, type ContactsClient } from './contacts.test-kit.js';
import { seedAgent } from './conversations.test-kit.js';

interface ContactJson {
  id: number;
  name: string;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  custom_attributes: Record<string, unknown>;
  additional_attributes: Record<string, unknown>;
  contact_inboxes: { source_id: string; inbox: { id: number; channel_type: string; name: string } }[];
}
interface ListJson {
  meta: { count: number; current_page: string };
  payload: ContactJson[];
}

describe(`Chatwoot contacts (${backendName})`, () => {
  let app: TestApp;
  let db: Db;
  let cw: ContactsClient;
  let other: ContactsClient;
  let apiInbox: number;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.parley.ctx.db;
    const account = await seedAccount(app, 'Contacts Inc');
    const otherAccount = await seedAccount(app, 'Elsewhere');
    cw = contactsClient(app, account.apiKey, account.accountId);
    other = contactsClient(app, otherAccount.apiKey, otherAccount.accountId);
    apiInbox = await insertInbox(db, account.accountId, 'api');
  });
  afterAll(async () => {
    await app.close();
  });

  async function create(body: Record<string, unknown>): Promise<ContactJson> {
    const response = await cw.post('/contacts', body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ContactJson>();
  }
  const countContacts = async () => db.$count(contacts, eq(contacts.accountId, cw.accountId));
  const eventsOf = async (type: string) =>
    db
      .select()
      .from(events)
      .where(and(eq(events.accountId, cw.accountId), eq(events.type, type)))
      .orderBy(asc(events.id));

  describe('create, show, update', () => {
    it('creates a contact with its address in an inbox, in the seed shape', async () => {
      const response = await cw.post('/contacts', {
        inbox_id: apiInbox,
        name: 'Alice Martin',
        email: 'Alice@Acme.inc',
        phone_number: '+33612345678',
        identifier: 'crm-1',
        additional_attributes: { city: 'Lyon', company_name: 'Acme' },
        custom_attributes: { tier: 'gold' },
      });

      expect(response.statusCode).toBe(200);
      const body = response.json<ContactJson & { payload: ContactJson[] }>();
      expectSeedContactShape(body as unknown as Record<string, unknown>);
      expect(body).toMatchObject({
        name: 'Alice Martin',
        email: 'alice@acme.inc',
        phone_number: '+33612345678',
        identifier: 'crm-1',
        availability_status: 'offline',
        blocked: false,
        custom_attributes: { tier: 'gold' },
      });
      expect(body.payload[0]?.id).toBe(body.id);
      expect(body.contact_inboxes).toHaveLength(1);
      expect(body.contact_inboxes[0]?.inbox).toMatchObject({ id: apiInbox, channel_type: 'Channel::Api' });
      expect(body.contact_inboxes[0]?.source_id).toMatch(/^[0-9a-f-]{36}$/);
      const created = await eventsOf('contact.created');
      expect(created.map((event) => event.aggregateId)).toContain(String(body.id));
    });

    it('shows a contact under payload with unix-second timestamps', async () => {
      const contact = await create({ name: 'Bob', email: 'bob@example.com' });

      const response = await cw.get(`/contacts/${contact.id}`);

      expect(response.statusCode).toBe(200);
      const payload = response.json<{ payload: Record<string, unknown> }>().payload;
      expectSeedContactShape(payload);
      expect(payload.id).toBe(contact.id);
      expect(Math.abs((payload.created_at as number) - Date.now() / 1000)).toBeLessThan(60);
    });

    it('updates with PUT, merging custom attributes and recording the changes', async () => {
      const contact = await create({
        name: 'Carol',
        email: 'carol@example.com',
        custom_attributes: { a: 1 },
      });

      const response = await cw.put(`/contacts/${contact.id}`, {
        name: 'Carol King',
        custom_attributes: { b: 2 },
      });

      expect(response.statusCode).toBe(200);
      expect(response.json<ContactJson>()).toMatchObject({
        name: 'Carol King',
        custom_attributes: { a: 1, b: 2 },
      });
      const updates = await eventsOf('contact.updated');
      const update = updates.find((event) => event.aggregateId === String(contact.id));
      expect(update?.payload.changes).toMatchObject({ name: { from: 'Carol', to: 'Carol King' } });
    });

    it.each([
      [{ name: 'X', email: 'not-an-email' }, 'email', /email is invalid/],
      [{ name: 'X', phone_number: '0612345678' }, 'phone_number', /e164/],
      [{ name: 'X', phone_number: '+999123' }, 'phone_number', /e164/],
      [{ name: 'X', email: 'ALICE@acme.inc' }, 'email', /already been taken/],
      [{ name: 'X', identifier: 'crm-1' }, 'identifier', /already been taken/],
    ])('refuses %j with 422 naming the field, writing nothing', async (body, field, message) => {
      const before = await countContacts();
      const eventsBefore = (await eventsOf('contact.created')).length;

      const response = await cw.post('/contacts', body);

      expect(response.statusCode).toBe(422);
      const error = response.json<{ description: string; errors: { field: string }[] }>();
      expect(error.description).toMatch(message);
      expect(error.errors[0]?.field).toBe(field);
      expect(await countContacts()).toBe(before);
      expect((await eventsOf('contact.created')).length).toBe(eventsBefore);
    });

    it('refuses an update to an email another contact has', async () => {
      const contact = await create({ name: 'Dan', email: 'dan@example.com' });

      const response = await cw.put(`/contacts/${contact.id}`, { email: 'bob@example.com' });

      expect(response.statusCode).toBe(422);
      expect((await cw.get(`/contacts/${contact.id}`)).json().payload.email).toBe('dan@example.com');
    });

    it('validates custom attribute values against their definitions, writing nothing', async () => {
      const definition = await cw.post('/custom_attribute_definitions', {
        attribute_display_name: 'Seats',
        attribute_key: 'seats',
        attribute_display_type: 1,
        attribute_model: 1,
      });
      expect(definition.statusCode, definition.body).toBe(200);
      const before = await countContacts();

      const bad = await cw.post('/contacts', {
        name: 'Eve',
        email: 'eve@example.com',
        custom_attributes: { seats: 'many' },
      });
      const good = await cw.post('/contacts', {
        name: 'Eve',
        email: 'eve@example.com',
        custom_attributes: { seats: 4 },
      });

      expect(bad.statusCode).toBe(422);
      expect(bad.json().description).toMatch(/seats must be a number/);
      expect(good.statusCode).toBe(200);
      expect(await countContacts()).toBe(before + 1);
      const update = await cw.put(`/contacts/${good.json<ContactJson>().id}`, {
        custom_attributes: { seats: 'x' },
      });
      expect(update.statusCode).toBe(422);
    });
  });

  describe('labels, addresses, conversations, merge, delete', () => {
    it('replaces the label set with POST and lists it with GET', async () => {
      const contact = await create({ name: 'Lab', email: 'lab@example.com' });

      const first = await cw.post(`/contacts/${contact.id}/labels`, { labels: ['Support', 'billing'] });
      const second = await cw.post(`/contacts/${contact.id}/labels`, { labels: ['vip'] });
      const listed = await cw.get(`/contacts/${contact.id}/labels`);

      expect(first.json()).toEqual({ payload: ['billing', 'support'] });
      expect(second.json()).toEqual({ payload: ['vip'] });
      expect(listed.json()).toEqual({ payload: ['vip'] });
      expect((await cw.post(`/contacts/${contact.id}/labels`, { labels: ['no spaces'] })).statusCode).toBe(
        422,
      );
    });

    it('creates a contact inbox with a given or generated source id, and refuses a taken one', async () => {
      const contact = await create({ name: 'Addr', email: 'addr@example.com' });
      const someoneElse = await create({ name: 'Else', email: 'else@example.com' });

      const given = await cw.post(`/contacts/${contact.id}/contact_inboxes`, {
        inbox_id: apiInbox,
        source_id: 'src-1',
      });
      const again = await cw.post(`/contacts/${contact.id}/contact_inboxes`, {
        inbox_id: apiInbox,
        source_id: 'src-1',
      });
      const taken = await cw.post(`/contacts/${someoneElse.id}/contact_inboxes`, {
        inbox_id: apiInbox,
        source_id: 'src-1',
      });
      const generated = await cw.post(`/contacts/${contact.id}/contact_inboxes`, { inbox_id: apiInbox });

      expect(given.statusCode).toBe(200);
      expect(given.json()).toEqual({
        source_id: 'src-1',
        inbox: {
          id: apiInbox,
          avatar_url: '',
          channel_id: apiInbox,
          name: 'api inbox',
          channel_type: 'Channel::Api',
        },
      });
      expect(again.statusCode).toBe(200);
      expect(taken.statusCode).toBe(422);
      expect(generated.json().source_id).toMatch(/^[0-9a-f-]{36}$/);
      const shown = (await cw.get(`/contacts/${contact.id}`)).json<{ payload: ContactJson }>().payload;
      expect(shown.contact_inboxes.map((address) => address.source_id)).toContain('src-1');
    });

    it('lists contactable inboxes by the channels the contact can be reached on', async () => {
      const emailInbox = await insertInbox(db, cw.accountId, 'email');
      const smsInbox = await insertInbox(db, cw.accountId, 'sms');
      const emailOnly = await create({ name: 'Mail', email: 'mail@example.com' });
      const phoneOnly = await create({ name: 'Phone', phone_number: '+14155550123' });

      const forEmail = (await cw.get(`/contacts/${emailOnly.id}/contactable_inboxes`)).json<{
        payload: { source_id: string; inbox: { id: number } }[];
      }>();
      const forPhone = (await cw.get(`/contacts/${phoneOnly.id}/contactable_inboxes`)).json<{
        payload: { source_id: string; inbox: { id: number } }[];
      }>();

      const inboxIds = (body: typeof forEmail) => body.payload.map((item) => item.inbox.id);
      expect(inboxIds(forEmail)).toEqual(expect.arrayContaining([apiInbox, emailInbox]));
      expect(inboxIds(forEmail)).not.toContain(smsInbox);
      expect(forEmail.payload.find((item) => item.inbox.id === emailInbox)?.source_id).toBe(
        'mail@example.com',
      );
      expect(inboxIds(forPhone)).toEqual(expect.arrayContaining([apiInbox, smsInbox]));
      expect(inboxIds(forPhone)).not.toContain(emailInbox);
      const address = await cw.post(`/contacts/${emailOnly.id}/contact_inboxes`, { inbox_id: emailInbox });
      expect(address.json()).toMatchObject({
        source_id: 'mail@example.com',
        inbox: { channel_type: 'Channel::Email' },
      });
    });

    it("lists the contact's conversations in the seed shape", async () => {
      const contact = await create({ name: 'Talker', email: 'talker@example.com' });
      const conversation = await insertConversation(db, {
        accountId: cw.accountId,
        inboxId: apiInbox,
        contactId: contact.id,
      });

      const response = await cw.get(`/contacts/${contact.id}/conversations`);

      expect(response.statusCode, response.body).toBe(200);
      const [item] = response.json<{
        payload: { id: number; display_id: number; meta: { sender: { id: number } } }[];
      }>().payload;
      expect(item).toMatchObject({
        id: conversation.displayId,
        display_id: conversation.displayId,
        meta: { sender: { id: contact.id } },
      });
    });

    it('merges a contact into another in one go: conversations, addresses, labels, missing fields', async () => {
      const baseContact = await create({
        name: 'Base',
        email: 'base@example.com',
        custom_attributes: { plan: 'a' },
      });
      const mergee = await create({
        name: 'Mergee',
        phone_number: '+33700000001',
        identifier: 'm-1',
        inbox_id: apiInbox,
        custom_attributes: { plan: 'b', extra: true },
      });
      await cw.post(`/contacts/${baseContact.id}/labels`, { labels: ['one'] });
      await cw.post(`/contacts/${mergee.id}/labels`, { labels: ['two'] });
      const conversation = await insertConversation(db, {
        accountId: cw.accountId,
        inboxId: apiInbox,
        contactId: mergee.id,
      });

      const response = await cw.post('/actions/contact_merge', {
        base_contact_id: baseContact.id,
        mergee_contact_id: mergee.id,
      });

      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        id: baseContact.id,
        name: 'Base',
        email: 'base@example.com',
        phone_number: '+33700000001',
        identifier: 'm-1',
        custom_attributes: { plan: 'a', extra: true },
      });
      const [moved] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
      expect(moved?.contactId).toBe(baseContact.id);
      const addresses = await db
        .select()
        .from(contactInboxes)
        .where(eq(contactInboxes.contactId, baseContact.id));
      expect(addresses).toHaveLength(1);
      expect((await cw.get(`/contacts/${baseContact.id}/labels`)).json()).toEqual({
        payload: ['one', 'two'],
      });
      expect((await cw.get(`/contacts/${mergee.id}`)).statusCode).toBe(404);
      const merged = await eventsOf('contact.merged');
      expect(merged.at(-1)?.payload).toMatchObject({ mergedContactId: mergee.id });
      expect(
        (
          await cw.post('/actions/contact_merge', {
            base_contact_id: baseContact.id,
            mergee_contact_id: baseContact.id,
          })
        ).statusCode,
      ).toBe(422);
    });

    it('lets agents read and edit contacts but only administrators delete them', async () => {
      const contact = await create({ name: 'Kept', email: 'kept@example.com' });
      const agent = await seedAgent(app, cw.accountId, { role: 'agent' });
      const asAgent = contactsClient(app, agent.token, cw.accountId);

      expect((await asAgent.get(`/contacts/${contact.id}`)).statusCode).toBe(200);
      expect((await asAgent.put(`/contacts/${contact.id}`, { name: 'Kept too' })).statusCode).toBe(200);
      expect((await asAgent.delete(`/contacts/${contact.id}`)).statusCode).toBe(403);
      expect((await cw.get(`/contacts/${contact.id}`)).statusCode).toBe(200);
    });

    it('deletes a contact with its conversations and records contact.deleted', async () => {
      const contact = await create({ name: 'Gone', email: 'gone@example.com' });
      const conversation = await insertConversation(db, {
        accountId: cw.accountId,
        inboxId: apiInbox,
        contactId: contact.id,
      });

      const response = await cw.delete(`/contacts/${contact.id}`);

      expect(response.statusCode).toBe(200);
      expect((await cw.get(`/contacts/${contact.id}`)).statusCode).toBe(404);
      expect(await db.$count(conversations, eq(conversations.id, conversation.id))).toBe(0);
      expect((await eventsOf('contact.deleted')).map((event) => event.aggregateId)).toContain(
        String(contact.id),
      );
      expect((await eventsOf('conversation.deleted')).map((event) => event.aggregateId)).toContain(
        String(conversation.id),
      );
    });
  });

  it("answers 404 for another account's contact on every route, touching nothing", async () => {
    const contact = await create({ name: 'Private', email: 'private@example.com', inbox_id: apiInbox });
    const mine = await create({ name: 'Mine', email: 'mine@example.com' });
    const theirs = await other.post('/contacts', { name: 'Theirs', email: 'theirs@example.com' });
    const theirId = theirs.json<ContactJson>().id;
    const id = contact.id;

    const responses = [
      await other.get(`/contacts/${id}`),
      await other.put(`/contacts/${id}`, { name: 'Hacked' }),
      await other.delete(`/contacts/${id}`),
      await other.get(`/contacts/${id}/labels`),
      await other.post(`/contacts/${id}/labels`, { labels: ['x'] }),
      await other.get(`/contacts/${id}/conversations`),
      await other.get(`/contacts/${id}/contactable_inboxes`),
      await other.post(`/contacts/${theirId}/contact_inboxes`, { inbox_id: apiInbox }),
      await other.post('/actions/contact_merge', { base_contact_id: theirId, mergee_contact_id: id }),
      await cw.post('/actions/contact_merge', { base_contact_id: mine.id, mergee_contact_id: theirId }),
      await other.get(`/contacts/${id}`.replace(String(other.accountId), String(cw.accountId))),
    ];

    expect(responses.map((response) => response.statusCode)).toEqual(Array(responses.length).fill(404));
    const cross = await other.get(`/contacts/search?q=private`);
    expect(cross.json<ListJson>().payload).toEqual([]);
    const filtered = await other.post('/contacts/filter', {
      payload: [{ attribute_key: 'name', filter_operator: 'equal_to', values: ['Private'] }],
    });
    expect(filtered.json<ListJson>().payload).toEqual([]);
    expect((await cw.get(`/contacts/${id}`)).json().payload).toMatchObject({
      name: 'Private',
      contact_inboxes: [{}],
    });
    const wrongAccount = await contactsClient(
      app,
      (await seedAccount(app, 'Third')).apiKey,
      cw.accountId,
    ).get(`/contacts/${id}`);
    expect([401, 403, 404]).toContain(wrongAccount.statusCode);
  });
});
