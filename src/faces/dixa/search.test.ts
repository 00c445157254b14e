import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { chatwootSeeder } from './conversation-seeding.test-kit.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';

interface SearchJson {
  data: {
    id: number;
    highlights: Record<string, string[]>;
    innerHits?: { id: string; highlight: Record<string, string> }[];
  }[];
  meta: { next?: string; previous?: string };
}

describe(`Dixa search: GET /v1/search/conversations (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: DixaTestOrg;
  let globex: DixaTestOrg;
  const acmeConversations: { uuid: string; displayId: number; messageUuid: string }[] = [];
  let globexConversation: number;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    inject = created.inject;
    acme = await created.organization('Acme');
    globex = await created.organization('Globex');
    const seed = chatwootSeeder(app, inject, acme);
    const inbox = await seed.inbox({ type: 'api' });
    const contact = await seed.contact({ name: 'Billy Bob', email: 'billy@example.com' });
    for (const text of [
      'My parcel never arrived, tracking says delivered',
      'Refund for order 4242 please',
      'The parcel arrived damaged; I want a refund',
    ]) {
      const conversation = await seed.conversation({ inboxId: inbox, contactId: contact.id });
      const message = await seed.message(conversation.displayId, text);
      acmeConversations.push({ ...conversation, messageUuid: message.uuid });
    }
    await seed.message(acmeConversations[2]!.displayId, 'Thanks, the refund arrived', 'outgoing');
    const other = chatwootSeeder(app, inject, globex);
    const otherInbox = await other.inbox({ type: 'api' });
    const otherContact = await other.contact({ name: 'Gina' });
    const conversation = await other.conversation({ inboxId: otherInbox, contactId: otherContact.id });
    await other.message(conversation.displayId, 'Globex refund for the parcel');
    globexConversation = conversation.displayId;
  });
  afterAll(() => app.close());

  const search = async (org: DixaTestOrg, query: string) => {
    const response = await org.call('GET', `/v1/search/conversations?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SearchJson>();
  };

  it('finds conversations by words in their messages, with highlights and inner hits', async () => {
    const body = await search(acme, 'query=refund');

    // Newest conversation first; the first conversation never says "refund".
    expect(body.data.map((hit) => hit.id)).toEqual([
      acmeConversations[2]!.displayId,
      acmeConversations[1]!.displayId,
    ]);
    const [third, second] = body.data;
    expect(third!.innerHits).toHaveLength(2);
    expect(third!.innerHits![0]).toEqual({
      id: acmeConversations[2]!.messageUuid,
      highlight: { content: 'The parcel arrived damaged; I want a <em>refund</em>' },
    });
    expect(second!.highlights).toEqual({ content: ['<em>Refund</em> for order 4242 please'] });
    expect(body.meta).toEqual({});
  });

  it('matches every word in any order as prefixes, and exactMatch as a phrase', async () => {
    expect((await search(acme, 'query=arrived%20parc')).data).toHaveLength(2);
    expect((await search(acme, 'query=parcel%20arrived&exactMatch=true')).data.map((hit) => hit.id)).toEqual([
      acmeConversations[2]!.displayId,
    ]);
    expect((await search(acme, 'query=nothing-like-this')).data).toEqual([]);
    // Search syntax is plain text, never a tsquery.
    expect((await search(acme, 'query=%21%26%7C%3A*')).data).toEqual([]);
  });

  it("never returns another organization's conversations", async () => {
    // Conversation numbers are per account (both have a #1): tell them apart by what matches.
    const acmeIds = (await search(acme, 'query=parcel')).data.map((hit) => hit.id);
    const globexIds = (await search(globex, 'query=parcel')).data.map((hit) => hit.id);

    expect(acmeIds).toEqual([acmeConversations[2]!.displayId, acmeConversations[0]!.displayId]);
    expect(globexIds).toEqual([globexConversation]);
    expect((await search(acme, 'query=globex')).data).toEqual([]);
  });

  it('pages with pageLimit and the pageKey of meta.next and meta.previous', async () => {
    const first = await search(acme, 'query=parcel&pageLimit=1');
    expect(first.data.map((hit) => hit.id)).toEqual([acmeConversations[2]!.displayId]);
    expect(first.meta.previous).toBeUndefined();

    const nextResponse = await inject({
      method: 'GET',
      url: first.meta.next!,
      headers: { authorization: acme.apiKey },
    });
    expect(nextResponse.statusCode, `${first.meta.next} ${nextResponse.body}`).toBe(200);
    const second = nextResponse.json<SearchJson>();
    expect(second.data.map((hit) => hit.id)).toEqual([acmeConversations[0]!.displayId]);
    expect(second.meta.next).toBeUndefined();

    const back = await inject({
      method: 'GET',
      url: second.meta.previous!,
      headers: { authorization: acme.apiKey },
    });
    expect(back.json<SearchJson>().data.map((hit) => hit.id)).toEqual([acmeConversations[2]!.displayId]);
  });

  it('answers 400 without a query or with a page key it did not hand out, 401 without a token', async () => {
    expect((await acme.call('GET', '/v1/search/conversations')).statusCode).toBe(400);
    expect((await acme.call('GET', '/v1/search/conversations?query=x&pageKey=bm9wZQ')).statusCode).toBe(400);
    expect((await inject({ method: 'GET', url: '/dixa/v1/search/conversations?query=x' })).statusCode).toBe(
      401,
    );
  });

  it('serves the Chatwoot conversation list `q` from the same full-text index (words as prefixes)', async () => {
    const list = async (org: DixaTestOrg, q: string) => {
      const response = await inject({
        method: 'GET',
        url: `/chatwoot/api/v1/accounts/${org.accountId}/conversations?status=all&q=${q}`,
        headers: { api_access_token: org.apiKey },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ data: { payload: { id: number }[] } }>().data.payload.map((row) => row.id);
    };

    expect((await list(acme, 'refun')).sort()).toEqual(
      [acmeConversations[1]!.displayId, acmeConversations[2]!.displayId].sort(),
    );
    expect(await list(acme, 'ORDER%204242')).toEqual([acmeConversations[1]!.displayId]);
    // The contact's name still matches, as before.
    expect(await list(acme, 'billy')).toHaveLength(3);
    expect(await list(globex, 'tracking')).toEqual([]);
  });
});
