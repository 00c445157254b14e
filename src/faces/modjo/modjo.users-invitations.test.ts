import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { accountUsers } from '../../core/identity/identity.tables.js';
import { addMember } from '../../core/identity/members.js';
import { createUser } from '../../core/identity/users.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';
import { teams } from '../../core/teams/teams.tables.js';
import { modjoHeaders } from './modjo-test-kit.js';
import { userSchema } from './schemas.js';

type ModjoUser = z.infer<typeof userSchema>;

/** What two created users may differ in: their id and the email they were created with. */
function withoutIdAndEmail(user: ModjoUser): Record<string, unknown> {
  const { id: _id, email: _email, ...rest } = user;
  return rest;
}

describe(`Modjo bulk user creation invites existing users instead of enrolling them (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let teamId: number;
  let victim: { userId: number; token: string };

  const bulk = (key: string, users: Record<string, unknown>[]) =>
    inject({ method: 'POST', url: '/modjo/v1/users/bulk', headers: modjoHeaders(key), payload: { users } });
  const listUsers = async (key: string): Promise<ModjoUser[]> => {
    const response = await inject({
      method: 'GET',
      url: '/modjo/v1/users?page=1&perPage=100',
      headers: modjoHeaders(key),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ values: ModjoUser[] }>().values;
  };
  /** The same request for two emails, as an attacker would send it. */
  const typed = (email: string) => ({
    email,
    firstName: 'Typed',
    lastName: 'Person',
    hasLicense: true,
    role: 'manager',
    teamIds: [teamId],
    language: 'fr-FR',
    sendOnboardingEmail: false,
  });

  async function isMember(accountId: number, userId: number): Promise<boolean> {
    const rows = await app.parley.ctx.db
      .select()
      .from(accountUsers)
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)));
    return rows.length > 0;
  }

  async function seedOtherAccountUser(accountId: number, email: string, name: string) {
    const db = app.parley.ctx.db;
    const user = await createUser(db, { name, email });
    await addMember(db, { accountId, userId: user.id, role: 'agent' }, { type: 'system' });
    const { token } = await createAccessToken(db, { userId: user.id, name: 'test' });
    return { userId: user.id, token };
  }

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    await app.parley.startBackground();
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    // Teams are created through another face; a direct insert keeps this test about Modjo users.
    const [team] = await app.parley.ctx.db
      .insert(teams)
      .values({ accountId: a.accountId, name: 'Sales' })
      .returning();
    teamId = team?.id as number;
    victim = await seedOtherAccountUser(b.accountId, 'victim@globex.test', 'Victor Victim');
  });
  afterAll(async () => {
    await app.close();
  });

  it("answers alike for another account's user and a new email, enrolling nobody and naming nobody", async () => {
    const known = await bulk(a.apiKey, [typed('Victim@Globex.test')]);
    const fresh = await bulk(a.apiKey, [typed('Newcomer@Acme.test')]);
    const listed = await listUsers(a.apiKey);
    const victimOnModjo = await inject({
      method: 'GET',
      url: '/modjo/v1/users?page=1&perPage=10',
      headers: modjoHeaders(victim.token),
    });

    expect(known.statusCode, known.body).toBe(201);
    expect(fresh.statusCode, fresh.body).toBe(201);
    const [knownUser] = known.json<ModjoUser[]>();
    const [freshUser] = fresh.json<ModjoUser[]>();
    expect(() => userSchema.strict().parse(knownUser)).not.toThrow();
    expect(Object.keys(knownUser ?? {}).sort()).toEqual(Object.keys(freshUser ?? {}).sort());
    expect(withoutIdAndEmail(knownUser as ModjoUser)).toEqual(withoutIdAndEmail(freshUser as ModjoUser));
    expect(withoutIdAndEmail(knownUser as ModjoUser)).toEqual({
      firstName: 'Typed',
      lastName: 'Person',
      hasLicense: true,
      role: 'admin',
      teamIds: [teamId],
      language: 'fr-FR',
    });
    expect([knownUser?.email, freshUser?.email]).toEqual(['victim@globex.test', 'newcomer@acme.test']);
    expect(knownUser?.id).not.toBe(victim.userId);
    expect(known.body).not.toContain('Victor');
    expect(await isMember(a.accountId, victim.userId)).toBe(false);
    // Right after, the list shows both the same way too.
    const listedKnown = listed.find((user) => user.id === knownUser?.id);
    const listedFresh = listed.find((user) => user.id === freshUser?.id);
    expect(listedKnown).toEqual(knownUser);
    expect(listedFresh).toEqual(freshUser);
    expect(JSON.stringify(listed)).not.toContain('Victor');
    expect(listed.map((user) => user.id)).not.toContain(victim.userId);
    // The victim still belongs to one account only, so their token still works where paths name none.
    expect(victimOnModjo.statusCode, victimOnModjo.body).toBe(200);
    expect(victimOnModjo.json().values.map((user: ModjoUser) => user.id)).toEqual([victim.userId]);
  });

  it('refuses to create either email again with the same 400', async () => {
    const known = await bulk(a.apiKey, [typed('victim@globex.test')]);
    const fresh = await bulk(a.apiKey, [typed('newcomer@acme.test')]);

    expect(known.statusCode).toBe(400);
    expect(fresh.statusCode).toBe(400);
    expect(known.body.replaceAll('victim@globex.test', '<email>')).toBe(
      fresh.body.replaceAll('newcomer@acme.test', '<email>'),
    );
  });

  it('enrols the invited user once they accept, under their own id and with what was asked', async () => {
    const invitationId = (await listUsers(a.apiKey)).find((user) => user.email === 'victim@globex.test')?.id;

    const received = await inject({
      method: 'GET',
      url: '/api/v1/invitations',
      headers: bearer(victim.token),
    });
    const accepted = await inject({
      method: 'POST',
      url: `/api/v1/invitations/${invitationId}/accept`,
      headers: bearer(victim.token),
    });

    expect(received.json()).toMatchObject({ data: [{ id: invitationId, accountId: a.accountId }] });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await isMember(a.accountId, victim.userId)).toBe(true);
    // The licence, language and teams asked for are applied by the event relay, shortly after.
    const joined = await waitFor(
      async () => {
        const found = (await listUsers(a.apiKey)).find((user) => user.id === victim.userId);
        return found?.hasLicense === true && found.teamIds.length > 0 ? found : undefined;
      },
      { what: 'the accepted invitation to carry its settings' },
    );
    expect(joined).toEqual({
      id: victim.userId,
      email: 'victim@globex.test',
      firstName: 'Victor',
      lastName: 'Victim',
      hasLicense: true,
      role: 'admin',
      teamIds: [teamId],
      language: 'fr-FR',
    });
    expect((await listUsers(a.apiKey)).map((user) => user.id)).not.toContain(invitationId);
  });

  it('withdraws a pending invitation on delete, as it removes a member, and only in its own account', async () => {
    const other = await seedOtherAccountUser(b.accountId, 'other@globex.test', 'Olga Other');
    const [invited] = (await bulk(a.apiKey, [typed('other@globex.test')])).json<ModjoUser[]>();
    const remove = (key: string) =>
      inject({
        method: 'DELETE',
        url: '/modjo/v1/users',
        headers: modjoHeaders(key),
        payload: { userIds: [invited?.id] },
      });

    const foreign = await remove(b.apiKey);
    const withdrawn = await remove(a.apiKey);
    const again = await remove(a.apiKey);
    const accept = await inject({
      method: 'POST',
      url: `/api/v1/invitations/${invited?.id}/accept`,
      headers: bearer(other.token),
    });

    expect(foreign.statusCode).toBe(400);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(again.statusCode).toBe(400);
    expect((await listUsers(a.apiKey)).map((user) => user.id)).not.toContain(invited?.id);
    expect(accept.statusCode).toBeGreaterThanOrEqual(400);
    expect(await isMember(a.accountId, other.userId)).toBe(false);
  });
});
