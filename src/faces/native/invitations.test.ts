import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { accountInvitations } from '../../core/identity/invitations.tables.js';
import { createUser } from '../../core/identity/users.js';
import { addMember } from '../../core/identity/members.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';

type Inject = ReturnType<typeof injector>;
interface Person {
  userId: number;
  token: string;
  email: string;
}

/** Fields that differ between any two invitations, whoever they are for. */
const varying = ['id', 'token', 'email', 'expiresAt', 'createdAt'];
function withoutVarying(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !varying.includes(key)));
}

describe(`Invitations instead of enrolment (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  /** A user of account B only: the target of account A's administrator. */
  let victim: Person;
  let counter = 0;

  /** A user with a token and a membership, made through the core (no slow password hashing). */
  async function provision(accountId: number, role: 'administrator' | 'agent'): Promise<Person> {
    counter += 1;
    const email = `person${counter}@example.test`;
    const db = app.testDb.database.db;
    const user = await createUser(db, { name: `Person ${counter}`, email });
    await addMember(db, { accountId, userId: user.id, role }, { type: 'system' });
    const { token } = await createAccessToken(db, { userId: user.id, name: 'test' });
    return { userId: user.id, token, email };
  }

  async function invite(accountId: number, token: string, email: string, role = 'agent') {
    const response = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountId}/invitations`,
      headers: bearer(token),
      payload: { email, role },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: number; token: string }>();
  }

  async function memberships(person: Person): Promise<number[]> {
    const me = await inject({ method: 'GET', url: '/api/v1/me', headers: bearer(person.token) });
    return me.json<{ memberships: { accountId: number }[] }>().memberships.map((row) => row.accountId);
  }

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    victim = await provision(b.accountId, 'agent');
  });
  afterAll(async () => {
    await app.close();
  });

  it("refuses an administrator's enrolment by user id without naming the user, who stays out and keeps working", async () => {
    const attack = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${a.accountId}/members`,
      headers: bearer(a.apiKey),
      payload: { userId: victim.userId, role: 'agent' },
    });
    const unknownId = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${a.accountId}/members`,
      headers: bearer(a.apiKey),
      payload: { userId: 999_999, role: 'agent' },
    });
    const lookup = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/members/${victim.userId}`,
      headers: bearer(a.apiKey),
    });
    const modjo = await inject({
      method: 'GET',
      url: '/modjo/v1/users?page=1&perPage=10',
      headers: { 'x-api-key': victim.token },
    });

    expect(attack.statusCode).toBe(403);
    expect(attack.body).not.toContain(victim.email);
    expect(attack.body).not.toContain('Person 1');
    expect(withoutRequestId(attack.json())).toEqual(withoutRequestId(unknownId.json()));
    expect(lookup.statusCode).toBe(404);
    expect(await memberships(victim)).toEqual([b.accountId]);
    expect(modjo.statusCode, modjo.body).toBe(200);
  });

  it('answers an invitation by email the same whether or not a user has that email, and enrols nobody', async () => {
    const post = (email: string) =>
      inject({
        method: 'POST',
        url: `/api/v1/accounts/${a.accountId}/members`,
        headers: bearer(a.apiKey),
        payload: { email, name: 'Typed Name', role: 'agent' },
      });

    const known = await post(victim.email.toUpperCase());
    const unknown = await post('nobody-yet@example.test');

    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(Object.keys(known.json()).sort()).toEqual(Object.keys(unknown.json()).sort());
    expect(withoutVarying(known.json())).toEqual(withoutVarying(unknown.json()));
    expect(withoutVarying(known.json())).toEqual({
      accountId: a.accountId,
      name: 'Typed Name',
      role: 'agent',
      status: 'pending',
      respondedAt: null,
    });
    expect(known.body).not.toContain(`"userId"`);
    expect(known.body).not.toContain('Person 1');
    expect(known.json().email).toBe(victim.email);
    expect(await memberships(victim)).toEqual([b.accountId]);
  });

  it('refuses an administrator-chosen password the same way for a taken and a free email', async () => {
    const post = (email: string) =>
      inject({
        method: 'POST',
        url: `/api/v1/accounts/${a.accountId}/members`,
        headers: bearer(a.apiKey),
        payload: { email, name: 'Mallory', password: 'chosen-by-admin', role: 'agent' },
      });

    const taken = await post(victim.email);
    const free = await post('free@example.test');

    expect(taken.statusCode).toBe(422);
    expect(withoutRequestId(taken.json())).toEqual(withoutRequestId(free.json()));
    expect(taken.body).not.toMatch(/taken|exists/);
  });

  it('lets the invited user see, accept and join, with member.added and invitation.accepted recorded', async () => {
    const invitation = await invite(a.accountId, a.apiKey, victim.email);

    const mine = await inject({ method: 'GET', url: '/api/v1/invitations', headers: bearer(victim.token) });
    const accepted = await inject({
      method: 'POST',
      url: `/api/v1/invitations/${invitation.id}/accept`,
      headers: bearer(victim.token),
    });
    const again = await inject({
      method: 'POST',
      url: `/api/v1/invitations/${invitation.id}/accept`,
      headers: bearer(victim.token),
    });
    const seen = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/invitations/${invitation.id}`,
      headers: bearer(a.apiKey),
    });

    expect(mine.json().data).toEqual([
      expect.objectContaining({
        id: invitation.id,
        accountId: a.accountId,
        accountName: 'Acme',
        role: 'agent',
      }),
    ]);
    expect(mine.body).not.toContain('inv_');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      accountId: a.accountId,
      userId: victim.userId,
      role: 'agent',
    });
    expect(again.statusCode).toBe(409);
    expect(seen.json()).toMatchObject({ status: 'accepted' });
    expect(seen.json()).not.toHaveProperty('userId');
    expect((await memberships(victim)).sort()).toEqual([a.accountId, b.accountId].sort());
    const recorded = await app.testDb.database.db
      .select({ type: events.type, aggregateId: events.aggregateId })
      .from(events)
      .where(
        and(eq(events.accountId, a.accountId), inArray(events.type, ['member.added', 'invitation.accepted'])),
      );
    expect(recorded).toEqual(
      expect.arrayContaining([
        { type: 'member.added', aggregateId: `${a.accountId}:${victim.userId}` },
        { type: 'invitation.accepted', aggregateId: String(invitation.id) },
      ]),
    );

    // Being enrolled in a second account must not cost the user their token on account-less faces.
    const left = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${a.accountId}/leave`,
      headers: bearer(victim.token),
    });
    const modjo = await inject({
      method: 'GET',
      url: '/modjo/v1/users?page=1&perPage=10',
      headers: { 'x-api-key': victim.token },
    });
    expect(left.statusCode, left.body).toBe(204);
    expect(await memberships(victim)).toEqual([b.accountId]);
    expect(modjo.statusCode).toBe(200);
  });

  it('lets the invited user decline, after which the invitation cannot be accepted', async () => {
    const invitation = await invite(a.accountId, a.apiKey, victim.email);

    const declined = await inject({
      method: 'POST',
      url: `/api/v1/invitations/${invitation.id}/decline`,
      headers: bearer(victim.token),
    });
    const accepted = await inject({
      method: 'POST',
      url: `/api/v1/invitations/${invitation.id}/accept`,
      headers: bearer(victim.token),
    });
    const list = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/invitations?status=declined`,
      headers: bearer(a.apiKey),
    });

    expect(declined.statusCode).toBe(204);
    expect(accepted.statusCode).toBe(409);
    expect(list.json().data.map((row: { id: number }) => row.id)).toContain(invitation.id);
    expect(await memberships(victim)).toEqual([b.accountId]);
  });

  it("answers 404 to a user accepting someone else's invitation", async () => {
    const other = await provision(b.accountId, 'agent');
    const invitation = await invite(a.accountId, a.apiKey, victim.email);

    const stolen = await inject({
      method: 'POST',
      url: `/api/v1/invitations/${invitation.id}/accept`,
      headers: bearer(other.token),
    });
    const byToken = await inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token: invitation.token, password: 'a-new-password' },
    });
    const mine = await inject({ method: 'GET', url: '/api/v1/invitations', headers: bearer(other.token) });

    expect(stolen.statusCode).toBe(404);
    // The token alone cannot enrol or take over a user who already exists.
    expect(byToken.statusCode).toBe(409);
    expect(mine.json().data).toEqual([]);
    expect(await memberships(victim)).toEqual([b.accountId]);
    await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${a.accountId}/invitations/${invitation.id}`,
      headers: bearer(a.apiKey),
    });
  });

  it('lets someone new accept once with the token, choosing a password, and signs them in', async () => {
    const invitation = await invite(a.accountId, a.apiKey, 'newcomer@example.test');
    const accept = () =>
      inject({
        method: 'POST',
        url: '/api/v1/invitations/accept',
        payload: { token: invitation.token, name: 'Newcomer', password: 'newcomer-password' },
      });

    const [first, second] = await Promise.all([accept(), accept()]);
    const statuses = [first.statusCode, second.statusCode].sort();
    const winner = first.statusCode === 201 ? first : second;
    const me = await inject({ method: 'GET', url: '/api/v1/me', headers: bearer(winner.json().token) });
    const login = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'newcomer@example.test', password: 'newcomer-password' },
    });

    expect(statuses).toEqual([201, 401]);
    expect(winner.json().member).toMatchObject({ accountId: a.accountId, name: 'Newcomer', role: 'agent' });
    expect(me.json().memberships).toEqual([{ accountId: a.accountId, accountName: 'Acme', role: 'agent' }]);
    expect(login.statusCode).toBe(200);
  });

  it('refuses an expired invitation, a refreshed token and a revoked invitation', async () => {
    const expired = await invite(a.accountId, a.apiKey, 'late@example.test');
    await app.testDb.database.db
      .update(accountInvitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(accountInvitations.id, expired.id));
    const old = await invite(a.accountId, a.apiKey, 'twice@example.test');
    const refreshed = await invite(a.accountId, a.apiKey, 'twice@example.test');
    const revoked = await invite(a.accountId, a.apiKey, 'withdrawn@example.test');
    const revoke = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${a.accountId}/invitations/${revoked.id}`,
      headers: bearer(a.apiKey),
    });
    const accept = (token: string) =>
      inject({
        method: 'POST',
        url: '/api/v1/invitations/accept',
        payload: { token, password: 'some-password' },
      });

    const afterExpiry = await accept(expired.token);
    const withOldToken = await accept(old.token);
    const afterRevoke = await accept(revoked.token);
    const listed = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/invitations?status=expired`,
      headers: bearer(a.apiKey),
    });
    const withNewToken = await accept(refreshed.token);

    expect(refreshed.id).toBe(old.id);
    expect(revoke.statusCode).toBe(204);
    expect(afterExpiry.statusCode).toBe(401);
    expect(withOldToken.statusCode).toBe(401);
    expect(afterRevoke.statusCode).toBe(401);
    expect(listed.json().data.map((row: { id: number }) => row.id)).toEqual([expired.id]);
    expect(withNewToken.statusCode).toBe(201);
  });

  it("keeps each account's invitations to itself, and to its administrators", async () => {
    const invitation = await invite(a.accountId, a.apiKey, 'private@example.test');
    const agentOfA = await provision(a.accountId, 'agent');

    const readAcross = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/invitations/${invitation.id}`,
      headers: bearer(b.apiKey),
    });
    const readInOwnPath = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${b.accountId}/invitations/${invitation.id}`,
      headers: bearer(b.apiKey),
    });
    const revokeInOwnPath = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${b.accountId}/invitations/${invitation.id}`,
      headers: bearer(b.apiKey),
    });
    const listOfB = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${b.accountId}/invitations`,
      headers: bearer(b.apiKey),
    });
    const byAgent = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/invitations`,
      headers: bearer(agentOfA.token),
    });
    const still = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/invitations/${invitation.id}`,
      headers: bearer(a.apiKey),
    });

    expect(readAcross.statusCode).toBe(404);
    expect(readInOwnPath.statusCode).toBe(404);
    expect(revokeInOwnPath.statusCode).toBe(404);
    expect(listOfB.body).not.toContain('private@example.test');
    expect(byAgent.statusCode).toBe(403);
    expect(still.json()).toMatchObject({ status: 'pending' });
  });
});

function withoutRequestId(body: { error: Record<string, unknown> }) {
  const { requestId: _requestId, ...error } = body.error;
  return error;
}
