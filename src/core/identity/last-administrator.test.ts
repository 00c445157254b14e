import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { accountUsers } from './identity.tables.js';
import { addMember } from './members.js';
import { createUser } from './users.js';
import { removeAgent, updateAgent } from './agent-changes.js';

const LAST_ADMIN = /last administrator/;

describe(`an account keeps its last administrator (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let counter = 0;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
  });
  afterAll(async () => {
    await app.close();
  });

  async function administrator(accountId: number): Promise<number> {
    counter += 1;
    const db = app.parley.ctx.db;
    const user = await createUser(db, { name: `Admin ${counter}`, email: `admin${counter}@last.test` });
    await addMember(db, { accountId, userId: user.id, role: 'administrator' }, { type: 'system' });
    return user.id;
  }

  async function roles(accountId: number) {
    const rows = await app.parley.ctx.db
      .select({ userId: accountUsers.userId, role: accountUsers.role })
      .from(accountUsers)
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.role, 'administrator')));
    return rows.map((row) => row.userId);
  }

  const platform = (accountId: number, method: 'POST' | 'DELETE', payload: Record<string, unknown>) =>
    inject({
      method,
      url: `/chatwoot/platform/api/v1/accounts/${accountId}/account_users`,
      headers: { api_access_token: TEST_PLATFORM_TOKEN },
      payload,
    });

  it('refuses the platform API removing or demoting the last administrator, in Chatwoot’s error body', async () => {
    const { accountId } = await seedAccount(app, 'Solo');
    const only = await administrator(accountId);

    const removed = await platform(accountId, 'DELETE', { user_id: only });
    const demoted = await platform(accountId, 'POST', { user_id: only, role: 'agent' });
    const second = await administrator(accountId);
    const removedNow = await platform(accountId, 'DELETE', { user_id: only });

    for (const refused of [removed, demoted]) {
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toEqual({ description: expect.stringMatching(LAST_ADMIN), errors: [] });
    }
    expect(removedNow.statusCode, removedNow.body).toBe(200);
    expect(await roles(accountId)).toEqual([second]);
  });

  it('lets only one of two administrators demoting each other at once succeed', async () => {
    const { accountId } = await seedAccount(app, 'Duo');
    const first = await administrator(accountId);
    const second = await administrator(accountId);
    const db = app.parley.ctx.db;

    const outcomes = await Promise.allSettled([
      updateAgent(db, { accountId, userId: first, role: 'agent' }, { type: 'user', id: second }),
      updateAgent(db, { accountId, userId: second, role: 'agent' }, { type: 'user', id: first }),
    ]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(String((refusal as PromiseRejectedResult).reason)).toMatch(LAST_ADMIN);
    expect(await roles(accountId)).toHaveLength(1);
  });

  it('lets only one of two administrators removing each other at once succeed', async () => {
    const { accountId } = await seedAccount(app, 'Pair');
    const first = await administrator(accountId);
    const second = await administrator(accountId);
    const db = app.parley.ctx.db;

    const outcomes = await Promise.allSettled([
      removeAgent(db, accountId, first, { type: 'user', id: second }),
      removeAgent(db, accountId, second, { type: 'user', id: first }),
    ]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await roles(accountId)).toHaveLength(1);
  });
});
