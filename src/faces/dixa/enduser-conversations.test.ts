import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { chatwootClient, openConversation, seedInbox } from '../chatwoot/conversations.test-kit.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import { createEndUserVia } from './endusers.test-kit.js';

interface Page {
  data: { id: number; requesterId: string; channel: string; createdAt: string; _type: string }[];
  meta: { next?: string; previous?: string };
}

describe(`Dixa end users: their conversations (${backendName})`, () => {
  let app: TestApp;
  let org: DixaTestOrg;
  let other: DixaTestOrg;
  let requesterId: string;
  const conversationIds: number[] = [];

  async function get(path: string): Promise<Page> {
    const response = await org.call('GET', path.replace(/^\/dixa/, ''));
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>();
  }

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    org = await created.organization('Requesters');
    other = await created.organization('Other requesters');
    const endUser = await createEndUserVia(org, { displayName: 'Requester', email: 'requester@conv.test' });
    const bystander = await createEndUserVia(org, { displayName: 'Bystander', email: 'bystander@conv.test' });
    requesterId = endUser.id;
    const idOf = async (uuid: string) => {
      const [row] = await app.parley.ctx.db
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.accountId, org.accountId), eq(contacts.uuid, uuid)));
      return row?.id ?? 0;
    };
    const inboxId = await seedInbox(app, org.accountId);
    const client = chatwootClient(app, org.apiKey);
    const contactId = await idOf(endUser.id);
    for (let index = 0; index < 3; index += 1) {
      conversationIds.push(
        await openConversation(client, org.accountId, { inbox_id: inboxId, contact_id: contactId }),
      );
    }
    await openConversation(client, org.accountId, {
      inbox_id: inboxId,
      contact_id: await idOf(bystander.id),
    });
  });
  afterAll(() => app.close());

  it("lists only the end user's conversations in the seed's Conversation shape, page by page both ways", async () => {
    const first = await get(`/v1/endusers/${requesterId}/conversations?pageLimit=2`);
    const second = await get(first.meta.next ?? '');
    const back = await get(second.meta.previous ?? '');

    expect(first.data.map((conversation) => conversation.id)).toEqual(conversationIds.slice(0, 2));
    expect(second.data.map((conversation) => conversation.id)).toEqual(conversationIds.slice(2));
    expect(second.meta).toEqual({ previous: expect.any(String) });
    expect(back.data.map((conversation) => conversation.id)).toEqual(conversationIds.slice(0, 2));
    for (const conversation of [...first.data, ...second.data]) {
      expect(conversation).toMatchObject({
        id: expect.any(Number),
        requesterId,
        channel: expect.any(String),
        createdAt: expect.any(String),
      });
      expect(JSON.stringify(conversation)).not.toContain('null');
    }
  });

  it('answers an empty page for an end user without conversations', async () => {
    const quiet = await createEndUserVia(org, { displayName: 'Quiet' });

    const page = await get(`/v1/endusers/${quiet.id}/conversations`);

    expect(page).toEqual({ data: [], meta: {} });
  });

  it("answers 404 for another organization's end user, 400 for a malformed id or page key", async () => {
    const foreign = await other.call('GET', `/v1/endusers/${requesterId}/conversations`);
    const malformed = await org.call('GET', '/v1/endusers/nope/conversations');
    const forged = await org.call('GET', `/v1/endusers/${requesterId}/conversations?pageKey=e30=`);

    expect(foreign.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(400);
    expect(forged.statusCode).toBe(400);
  });
});
