import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot teams (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let ann: { userId: number; token: string };
  let bob: { userId: number; token: string };
  let outsider: { userId: number; token: string };

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    ann = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'ann@acme.test' });
    bob = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'bob@acme.test' });
    outsider = await seedUser(app, { accountId: b.accountId, role: 'agent', email: 'out@globex.test' });
  });
  afterAll(async () => {
    await app.close();
  });

  const teamsUrl = (accountId: number) => `/api/v1/accounts/${accountId}/teams`;

  async function createTeam(name: string): Promise<number> {
    const response = await call('POST', teamsUrl(a.accountId), a.apiKey, { name });
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number }>().id;
  }

  it('creates, shows, updates and deletes a team with the seed fields', async () => {
    const created = await call('POST', teamsUrl(a.accountId), a.apiKey, {
      name: 'Support',
      description: 'Front line',
      allow_auto_assign: false,
    });
    const id = created.json<{ id: number }>().id;
    const updated = await call('PATCH', `${teamsUrl(a.accountId)}/${id}`, a.apiKey, {
      description: 'Tier 1',
    });
    const shown = await call('GET', `${teamsUrl(a.accountId)}/${id}`, a.apiKey);
    const deleted = await call('DELETE', `${teamsUrl(a.accountId)}/${id}`, a.apiKey);
    const gone = await call('GET', `${teamsUrl(a.accountId)}/${id}`, a.apiKey);

    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({
      id: expect.any(Number),
      name: 'Support',
      description: 'Front line',
      allow_auto_assign: false,
      account_id: a.accountId,
      is_member: false,
    });
    expect(updated.json()).toMatchObject({ name: 'Support', description: 'Tier 1' });
    expect(shown.json().description).toBe('Tier 1');
    expect(deleted.statusCode).toBe(200);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().description).toBe('Team not found');
    const types = await app.testDb.database.db
      .select({ type: events.type })
      .from(events)
      .where(
        and(
          eq(events.accountId, a.accountId),
          eq(events.aggregateType, 'team'),
          eq(events.aggregateId, String(id)),
        ),
      );
    expect(types.map((row) => row.type)).toEqual(['team.created', 'team.updated', 'team.deleted']);
  });

  it('refuses a duplicate name (any case) and a missing name with 422', async () => {
    await createTeam('Billing');

    const duplicate = await call('POST', teamsUrl(a.accountId), a.apiKey, { name: 'BILLING' });
    const missing = await call('POST', teamsUrl(a.accountId), a.apiKey, { description: 'x' });
    const sameNameElsewhere = await call('POST', teamsUrl(b.accountId), b.apiKey, { name: 'Billing' });

    expect(duplicate.statusCode).toBe(422);
    expect(duplicate.json().errors).toEqual([
      { field: 'name', message: 'has already been taken', code: 'validation_failed' },
    ]);
    expect(missing.statusCode).toBe(422);
    expect(sameNameElsewhere.statusCode).toBe(200);
  });

  it('adds, replaces, lists and removes team members, and shows is_member to the member', async () => {
    const id = await createTeam('Sales');
    const membersUrl = `${teamsUrl(a.accountId)}/${id}/team_members`;

    const added = await call('POST', membersUrl, a.apiKey, { user_ids: [ann.userId] });
    const addedAgain = await call('POST', membersUrl, a.apiKey, { user_ids: [ann.userId, bob.userId] });
    const asAnn = await call('GET', teamsUrl(a.accountId), ann.token);
    const replaced = await call('PATCH', membersUrl, a.apiKey, { user_ids: [bob.userId] });
    const listed = await call('GET', membersUrl, ann.token);
    const removed = await call('DELETE', membersUrl, a.apiKey, { user_ids: [bob.userId] });
    const empty = await call('GET', membersUrl, a.apiKey);

    expect(added.statusCode).toBe(200);
    expect(added.json().map((agent: { id: number }) => agent.id)).toEqual([ann.userId]);
    expect(added.json()[0]).toMatchObject({
      email: 'ann@acme.test',
      role: 'agent',
      availability_status: 'offline',
    });
    expect(addedAgain.json().map((agent: { id: number }) => agent.id)).toEqual([bob.userId]);
    expect(asAnn.json().find((team: { id: number }) => team.id === id).is_member).toBe(true);
    expect(replaced.json().map((agent: { id: number }) => agent.id)).toEqual([bob.userId]);
    expect(listed.json().map((agent: { id: number }) => agent.id)).toEqual([bob.userId]);
    expect(removed.statusCode).toBe(200);
    expect(empty.json()).toEqual([]);
  });

  it('refuses to add a user who is not an agent of the account with 422, adding no one', async () => {
    const id = await createTeam('Guarded');
    const membersUrl = `${teamsUrl(a.accountId)}/${id}/team_members`;

    const response = await call('POST', membersUrl, a.apiKey, { user_ids: [ann.userId, outsider.userId] });
    const listed = await call('GET', membersUrl, a.apiKey);

    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0]).toMatchObject({ field: 'user_ids', code: 'validation_failed' });
    expect(listed.json()).toEqual([]);
  });

  it('lets agents read but not write', async () => {
    const id = await createTeam('Read only');

    const list = await call('GET', teamsUrl(a.accountId), ann.token);
    const create = await call('POST', teamsUrl(a.accountId), ann.token, { name: 'Nope' });
    const update = await call('PATCH', `${teamsUrl(a.accountId)}/${id}`, ann.token, { name: 'Nope' });
    const remove = await call('DELETE', `${teamsUrl(a.accountId)}/${id}`, ann.token);
    const members = await call('POST', `${teamsUrl(a.accountId)}/${id}/team_members`, ann.token, {
      user_ids: [ann.userId],
    });

    expect(list.statusCode).toBe(200);
    expect([create, update, remove, members].map((response) => response.statusCode)).toEqual([
      403, 403, 403, 403,
    ]);
  });

  it("answers 401 without a token and 404 for another account's team", async () => {
    const id = await createTeam('Isolated');

    const missing = await call('GET', teamsUrl(a.accountId), undefined);
    const get = await call('GET', `${teamsUrl(b.accountId)}/${id}`, b.apiKey);
    const patch = await call('PATCH', `${teamsUrl(b.accountId)}/${id}`, b.apiKey, { name: 'Stolen' });
    const members = await call('GET', `${teamsUrl(b.accountId)}/${id}/team_members`, b.apiKey);
    const del = await call('DELETE', `${teamsUrl(b.accountId)}/${id}`, b.apiKey);
    const list = await call('GET', teamsUrl(b.accountId), b.apiKey);

    expect(missing.statusCode).toBe(401);
    expect([get, patch, members, del].map((response) => response.statusCode)).toEqual([404, 404, 404, 404]);
    expect(list.json().some((team: { id: number }) => team.id === id)).toBe(false);
  });
});
