import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { createContact } from '../contacts/contacts.js';
import { createInbox } from './create-inbox.js';
import { conversations } from '../conversations/conversations.tables.js';
import { deleteInbox } from './delete-inbox.js';

describe(`deleting an inbox (${backendName})`, () => {
  let app: TestApp;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let client: ReturnType<typeof chatwootCaller>;

  /** Calls the Chatwoot face with one account's key, which is how its administrators delete inboxes. */
  function chatwootCaller(apiKey: string) {
    const inject = injector(app);
    const headers = { api_access_token: apiKey };
    return {
      get: (url: string) => inject({ method: 'GET', url: `/chatwoot${url}`, headers }),
      post: (url: string, payload: Record<string, unknown>) =>
        inject({ method: 'POST', url: `/chatwoot${url}`, headers, payload }),
      delete: (url: string) => inject({ method: 'DELETE', url: `/chatwoot${url}`, headers }),
    };
  }

  beforeAll(async () => {
    app = await createTestApp();
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    client = chatwootCaller(acme.apiKey);
  });
  afterAll(async () => {
    await app.close();
  });

  async function inboxWithConversations(count: number): Promise<{ inboxId: number; displayIds: number[] }> {
    const db = app.parley.ctx.db;
    const actor = { type: 'system' } as const;
    const inbox = await createInbox(
      db,
      { accountId: acme.accountId, name: 'Doomed', channelType: 'api' },
      actor,
    );
    const contact = await createContact(db, { accountId: acme.accountId, name: 'Jane', actor });
    const displayIds: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const response = await client.post(`/api/v1/accounts/${acme.accountId}/conversations`, {
        inbox_id: inbox.id,
        contact_id: contact.id,
        source_id: `source-${inbox.id}-${index}`,
      });
      expect(response.statusCode, response.body).toBe(200);
      displayIds.push(response.json<{ id: number }>().id);
    }
    return { inboxId: inbox.id, displayIds };
  }

  async function recorded(type: string, accountId = acme.accountId) {
    const rows = await app.parley.ctx.db
      .select({ payload: events.payload, aggregateId: events.aggregateId })
      .from(events)
      .where(and(eq(events.accountId, accountId), eq(events.type, type)));
    return rows;
  }

  async function deletedDisplayIds(inboxId: number): Promise<number[]> {
    const rows = await recorded('conversation.deleted');
    return rows
      .map((row) => row.payload as { displayId: number; inboxId: number })
      .filter((payload) => payload.inboxId === inboxId)
      .map((payload) => payload.displayId)
      .sort((a, b) => a - b);
  }

  async function conversationsOf(inboxId: number) {
    return app.parley.ctx.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.accountId, acme.accountId), eq(conversations.inboxId, inboxId)));
  }

  it('records conversation.deleted for every conversation of the inbox it deletes', async () => {
    const { inboxId, displayIds } = await inboxWithConversations(3);
    const kept = await inboxWithConversations(1);

    const response = await client.delete(`/api/v1/accounts/${acme.accountId}/inboxes/${inboxId}`);

    expect(response.statusCode, response.body).toBe(200);
    expect(await deletedDisplayIds(inboxId)).toEqual([...displayIds].sort((a, b) => a - b));
    expect(await deletedDisplayIds(kept.inboxId)).toEqual([]);
    expect(await conversationsOf(inboxId)).toEqual([]);
    expect(await conversationsOf(kept.inboxId)).toHaveLength(1);
    const inboxEvents = await recorded('inbox.deleted');
    expect(inboxEvents.map((row) => row.aggregateId)).toContain(String(inboxId));
    const gone = await client.get(`/api/v1/accounts/${acme.accountId}/conversations/${displayIds[0]}`);
    expect(gone.statusCode).toBe(404);
  });

  it('deletes a large inbox a batch at a time, one event per conversation', async () => {
    const { inboxId, displayIds } = await inboxWithConversations(5);

    await deleteInbox(app.parley.ctx.db, acme.accountId, inboxId, { type: 'system' }, { batchSize: 2 });

    const deleted = await deletedDisplayIds(inboxId);
    expect(deleted).toEqual([...displayIds].sort((a, b) => a - b));
    expect(new Set(deleted).size).toBe(5);
    expect(await conversationsOf(inboxId)).toEqual([]);
  });

  it("answers 404 for another account's inbox and deletes nothing", async () => {
    const { inboxId, displayIds } = await inboxWithConversations(2);
    const intruder = chatwootCaller(globex.apiKey);

    const response = await intruder.delete(`/api/v1/accounts/${globex.accountId}/inboxes/${inboxId}`);

    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ description: expect.any(String) });
    expect(await deletedDisplayIds(inboxId)).toEqual([]);
    expect(await conversationsOf(inboxId)).toHaveLength(displayIds.length);
    expect(await recorded('conversation.deleted', globex.accountId)).toEqual([]);
  });
});
