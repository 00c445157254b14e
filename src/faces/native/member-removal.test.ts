import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createUser } from '../../core/identity/users.js';
import { addMember } from '../../core/identity/members.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';

interface Person {
  userId: number;
  token: string;
  email: string;
}

describe(`Leaving and removing members (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let a: { accountId: number; apiKey: string };
  /** A user of another account, whom only the platform token may add directly. */
  let victim: Person;
  let counter = 0;

  /** A user with a token and a membership, made through the core (no slow password hashing). */
  async function provision(accountId: number, role: 'administrator' | 'agent'): Promise<Person> {
    counter += 1;
    const email = `member${counter}@example.test`;
    const db = app.testDb.database.db;
    const user = await createUser(db, { name: `Member ${counter}`, email });
    await addMember(db, { accountId, userId: user.id, role }, { type: 'system' });
    const { token } = await createAccessToken(db, { userId: user.id, name: 'test' });
    return { userId: user.id, token, email };
  }

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    a = await seedAccount(app, 'Acme');
    const b = await seedAccount(app, 'Globex');
    victim = await provision(b.accountId, 'agent');
  });
  afterAll(async () => {
    await app.close();
  });

  it('keeps the last administrator: they cannot leave, be removed or be demoted', async () => {
    const account = await seedAccount(app, 'Solo');
    const admin = await provision(account.accountId, 'administrator');
    const base = `/api/v1/accounts/${account.accountId}`;

    const leave = await inject({ method: 'POST', url: `${base}/leave`, headers: bearer(admin.token) });
    const remove = await inject({
      method: 'DELETE',
      url: `${base}/members/${admin.userId}`,
      headers: bearer(account.apiKey),
    });
    const demote = await inject({
      method: 'PATCH',
      url: `${base}/members/${admin.userId}`,
      headers: bearer(account.apiKey),
      payload: { role: 'agent' },
    });
    const second = await provision(account.accountId, 'administrator');
    const removeNow = await inject({
      method: 'DELETE',
      url: `${base}/members/${admin.userId}`,
      headers: bearer(second.token),
    });

    for (const refused of [leave, remove, demote]) {
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error.message).toMatch(/last administrator/);
    }
    expect(removeNow.statusCode).toBe(204);
  });

  it('lets an agent remove themselves but not others', async () => {
    const agent = await provision(a.accountId, 'agent');
    const other = await provision(a.accountId, 'agent');

    const removeOther = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${a.accountId}/members/${other.userId}`,
      headers: bearer(agent.token),
    });
    const removeSelf = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${a.accountId}/members/${agent.userId}`,
      headers: bearer(agent.token),
    });

    expect(removeOther.statusCode).toBe(403);
    expect(removeSelf.statusCode).toBe(204);
  });

  it('lets the platform token still add an existing user directly', async () => {
    const account = await seedAccount(app, 'Operated');

    const added = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { userId: victim.userId, role: 'agent' },
    });

    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ userId: victim.userId, email: victim.email });
    await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/leave`,
      headers: bearer(victim.token),
    });
  });
});
