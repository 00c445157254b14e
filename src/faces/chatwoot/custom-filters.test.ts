import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { customFilters } from '../../core/custom-filters/custom-filters.tables.js';
import { seedAgent } from './conversations.test-kit.js';
import { contactsClient, type ContactsClient } from './contacts.test-kit.js';

interface FilterJson {
  id: number;
  name: string;
  type: string;
  filter_type: string;
  query: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

const openQuery = {
  payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: null }],
};

describe(`Chatwoot custom filters (${backendName})`, () => {
  let app: TestApp;
  let admin: ContactsClient;
  let agentA: ContactsClient;
  let agentB: ContactsClient;
  let other: ContactsClient;

  beforeAll(async () => {
    app = await createTestApp();
    const account = await seedAccount(app, 'Filters Inc');
    const otherAccount = await seedAccount(app, 'Elsewhere');
    admin = contactsClient(app, account.apiKey, account.accountId);
    other = contactsClient(app, otherAccount.apiKey, otherAccount.accountId);
    agentA = contactsClient(app, (await seedAgent(app, account.accountId)).token, account.accountId);
    agentB = contactsClient(app, (await seedAgent(app, account.accountId)).token, account.accountId);
  });
  afterAll(async () => {
    await app.close();
  });

  const path = '/custom_filters';
  const count = () => app.parley.ctx.db.$count(customFilters, eq(customFilters.accountId, admin.accountId));

  it('saves a filter for the calling user, in the seed shape', async () => {
    const response = await agentA.post(path, { name: 'Open ones', type: 'conversation', query: openQuery });

    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<FilterJson>();
    expect(body).toMatchObject({
      name: 'Open ones',
      type: 'conversation',
      filter_type: 'conversation',
      query: openQuery,
    });
    expect(typeof body.id).toBe('number');
    expect(Number.isNaN(Date.parse(body.created_at))).toBe(false);
  });

  it("lists only the caller's own filters, by filter_type", async () => {
    await agentA.post(path, {
      custom_filter: {
        name: 'Paris contacts',
        filter_type: 'contact',
        query: { payload: [{ attribute_key: 'city', filter_operator: 'equal_to', values: ['Paris'] }] },
      },
    });
    await agentB.post(path, { name: 'B only', filter_type: 'conversation', query: openQuery });

    const all = (await agentA.get(path)).json<FilterJson[]>();
    const contact = (await agentA.get(`${path}?filter_type=contact`)).json<FilterJson[]>();
    const forB = (await agentB.get(path)).json<FilterJson[]>();

    expect(all.map((item) => item.name)).toEqual(['Open ones', 'Paris contacts']);
    expect(contact.map((item) => item.name)).toEqual(['Paris contacts']);
    expect(forB.map((item) => item.name)).toEqual(['B only']);
    expect((await admin.get(path)).json()).toEqual([]);
  });

  it("updates and deletes one's own filter, and cannot touch another user's", async () => {
    const created = (
      await agentA.post(path, { name: 'Temp', filter_type: 'conversation', query: openQuery })
    ).json<FilterJson>();

    const foreign = [
      await agentB.get(`${path}/${created.id}`),
      await agentB.patch(`${path}/${created.id}`, { name: 'Stolen' }),
      await agentB.delete(`${path}/${created.id}`),
    ];
    const updated = await agentA.patch(`${path}/${created.id}`, { name: 'Renamed' });
    const deleted = await agentA.delete(`${path}/${created.id}`);

    expect(foreign.map((response) => response.statusCode)).toEqual([404, 404, 404]);
    expect(updated.json<FilterJson>()).toMatchObject({ name: 'Renamed', query: openQuery });
    expect(deleted.statusCode).toBe(200);
    expect((await agentA.get(`${path}/${created.id}`)).statusCode).toBe(404);
  });

  it.each([
    [{ name: 'x', filter_type: 'weird', query: openQuery }],
    [{ filter_type: 'conversation', query: openQuery }],
    [{ name: 'x', filter_type: 'conversation', query: ['not', 'an', 'object'] }],
    [{ name: 'x', filter_type: 'conversation' }],
  ])('refuses a filter that is not the seed payload %j with 422, writing nothing', async (body) => {
    const before = await count();

    const response = await agentA.post(path, body);

    expect(response.statusCode).toBe(422);
    expect(response.json().errors.length).toBeGreaterThan(0);
    expect(await count()).toBe(before);
  });

  const badQueries: [string, Record<string, unknown>, string][] = [
    ['conversation', { payload: [] }, '/conversations/filter'],
    [
      'conversation',
      { payload: [{ attribute_key: 'status', filter_operator: 'sounds_like', values: ['a'] }] },
      '/conversations/filter',
    ],
    [
      'conversation',
      { payload: [{ attribute_key: 'status', filter_operator: 'contains', values: ['a'] }] },
      '/conversations/filter',
    ],
    [
      'contact',
      { payload: [{ attribute_key: 'shoe_size', filter_operator: 'equal_to', values: ['a'] }] },
      '/contacts/filter',
    ],
  ];

  it.each(badQueries)(
    'stores any JSON %s query as the seed says, and refuses %j with a 4xx when it runs',
    async (filterType, query, runPath) => {
      const saved = await agentA.post(path, { name: 'Odd', filter_type: filterType, query });
      expect(saved.statusCode, saved.body).toBe(200);
      const stored = (await agentA.get(`${path}/${saved.json<FilterJson>().id}`)).json<FilterJson>();
      expect(stored.query).toEqual(query);

      const run = await agentA.post(runPath, stored.query);

      expect(run.statusCode).toBe(422);
      expect(run.json()).toMatchObject({ description: expect.any(String), errors: expect.any(Array) });
      expect(run.json().errors.length).toBeGreaterThan(0);
    },
  );

  it('keeps an updated query as given, and runs a valid one', async () => {
    const created = (
      await agentA.post(path, { name: 'Keep', filter_type: 'conversation', query: openQuery })
    ).json<FilterJson>();
    const draft = { payload: [], note: 'work in progress' };

    const response = await agentA.patch(`${path}/${created.id}`, { query: draft });
    const run = await agentA.post('/conversations/filter', openQuery);

    expect(response.statusCode).toBe(200);
    expect((await agentA.get(`${path}/${created.id}`)).json<FilterJson>().query).toEqual(draft);
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ data: { payload: expect.any(Array) } });
  });

  it("answers 404 for another account's filter", async () => {
    const created = (
      await admin.post(path, { name: 'Account filter', filter_type: 'conversation', query: openQuery })
    ).json<FilterJson>();

    const responses = [
      await other.get(`${path}/${created.id}`),
      await other.patch(`${path}/${created.id}`, { name: 'x' }),
      await other.delete(`${path}/${created.id}`),
    ];

    expect(responses.map((response) => response.statusCode)).toEqual([404, 404, 404]);
    expect((await other.get(path)).json()).toEqual([]);
    expect((await admin.get(`${path}/${created.id}`)).json<FilterJson>().name).toBe('Account filter');
  });
});
