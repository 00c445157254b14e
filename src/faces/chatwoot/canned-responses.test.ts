import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot canned responses (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'agent@acme.test' });
  });
  afterAll(async () => {
    await app.close();
  });

  const url = (accountId: number) => `/api/v1/accounts/${accountId}/canned_responses`;

  async function create(shortCode: string, content: string): Promise<number> {
    const response = await call('POST', url(a.accountId), a.apiKey, { short_code: shortCode, content });
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number }>().id;
  }

  it('creates, lists, updates and deletes canned responses with the seed fields', async () => {
    const created = await call('POST', url(a.accountId), agent.token, {
      short_code: 'welcome',
      content: 'Hello, {{contact.name}}!',
    });
    const id = created.json<{ id: number }>().id;
    const updated = await call('PATCH', `${url(a.accountId)}/${id}`, a.apiKey, { content: 'Hi there' });
    const listed = await call('GET', url(a.accountId), agent.token);
    const deleted = await call('DELETE', `${url(a.accountId)}/${id}`, a.apiKey);
    const after = await call('GET', url(a.accountId), a.apiKey);

    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({
      id: expect.any(Number),
      account_id: a.accountId,
      short_code: 'welcome',
      content: 'Hello, {{contact.name}}!',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(updated.json()).toMatchObject({ id, short_code: 'welcome', content: 'Hi there' });
    expect(listed.json().map((row: { id: number }) => row.id)).toContain(id);
    expect(deleted.statusCode).toBe(200);
    expect(after.json().map((row: { id: number }) => row.id)).not.toContain(id);
    const types = await app.testDb.database.db
      .select({ type: events.type })
      .from(events)
      .where(
        and(
          eq(events.accountId, a.accountId),
          eq(events.aggregateId, String(id)),
          eq(events.aggregateType, 'canned_response'),
        ),
      );
    expect(types.map((row) => row.type)).toEqual([
      'canned_response.created',
      'canned_response.updated',
      'canned_response.deleted',
    ]);
  });

  it('filters with search on short code and content, short-code matches first', async () => {
    await create('refund', 'Your money is on its way');
    await create('shipping', 'We ship refunds of postage too');
    await create('hours', 'We are open 9-5');

    const response = await call('GET', `${url(a.accountId)}?search=REFUND`, a.apiKey);

    expect(response.json().map((row: { short_code: string }) => row.short_code)).toEqual([
      'refund',
      'shipping',
    ]);
  });

  it('refuses a duplicate short code in the account with 422, but allows it in another account', async () => {
    await create('dup', 'first');

    const duplicate = await call('POST', url(a.accountId), a.apiKey, {
      short_code: 'dup',
      content: 'second',
    });
    const renameClash = await call('PATCH', `${url(a.accountId)}/${await create('other', 'x')}`, a.apiKey, {
      short_code: 'dup',
    });
    const elsewhere = await call('POST', url(b.accountId), b.apiKey, { short_code: 'dup', content: 'b' });
    const missing = await call('POST', url(a.accountId), a.apiKey, { short_code: 'empty' });

    expect(duplicate.statusCode).toBe(422);
    expect(duplicate.json()).toEqual({
      description: 'Short code has already been taken',
      errors: [{ field: 'short_code', message: 'has already been taken', code: 'validation_failed' }],
    });
    expect(renameClash.statusCode).toBe(422);
    expect(elsewhere.statusCode).toBe(200);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].field).toBe('content');
  });

  it('lets agents add but not change or delete', async () => {
    const id = await create('locked', 'x');

    const update = await call('PATCH', `${url(a.accountId)}/${id}`, agent.token, { content: 'y' });
    const remove = await call('DELETE', `${url(a.accountId)}/${id}`, agent.token);

    expect(update.statusCode).toBe(403);
    expect(remove.statusCode).toBe(403);
  });

  it("answers 401 without a token and 404 for another account's canned response", async () => {
    const id = await create('secret', 'x');

    const missing = await call('GET', url(a.accountId), undefined);
    const patch = await call('PATCH', `${url(b.accountId)}/${id}`, b.apiKey, { content: 'stolen' });
    const del = await call('DELETE', `${url(b.accountId)}/${id}`, b.apiKey);
    const list = await call('GET', url(b.accountId), b.apiKey);

    expect(missing.statusCode).toBe(401);
    expect(patch.statusCode).toBe(404);
    expect(del.statusCode).toBe(404);
    expect(list.json().some((row: { id: number }) => row.id === id)).toBe(false);
  });
});
