import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../db/database.js';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { createPostgresBus } from './postgres-bus.js';
import type { RealtimeBus } from './realtime-bus.js';
import { createRedisBus } from './redis-bus.js';
import { REVOCATIONS_CHANNEL, type Revocation } from './revocations.js';

const redisUrl = process.env.TEST_REDIS_URL;
const waitOptions = { timeout: 5000, interval: 20 };

/**
 * The database announces ended access at commit (triggers of migration `access_revocation_notices`),
 * and every node's bus hears it, whichever broker carries the events.
 */
describe.each([
  { name: `postgres (${backendName})`, skip: false },
  { name: 'redis, revocations from the database (needs TEST_REDIS_URL)', skip: !redisUrl },
])('revocation notices on the $name bus', ({ name, skip }) => {
  let testDb: TestDatabase;
  let second: Database;
  let bus: RealtimeBus;
  const heard: Revocation[] = [];
  const errors: unknown[] = [];
  let accountId: number;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase();
    // The listening node has its own connections, as another node would.
    second = testDb.url ? await openDatabase({ url: testDb.url, poolSize: 2 }) : testDb.database;
    const onError = (error: unknown) => errors.push(error);
    bus = name.startsWith('redis')
      ? createRedisBus(redisUrl ?? '', {
          channel: `parley:test:${Date.now()}`,
          revocationsFrom: second,
          onError,
        })
      : createPostgresBus(second, { onError });
    bus.subscribeRevocations((revocation) => heard.push(revocation));
    await bus.start();
    const [account] = await queryRows<{ id: number }>(
      testDb.database.db,
      sql`INSERT INTO accounts (name) VALUES ('Acme') RETURNING id`,
    );
    accountId = Number(account?.id);
  });
  afterAll(async () => {
    if (skip) return;
    await bus.close();
    if (second !== testDb.database) await second.close();
    await testDb.drop();
  });

  async function insertKey(): Promise<number> {
    const [key] = await queryRows<{ id: number }>(
      testDb.database.db,
      sql`INSERT INTO api_keys (account_id, name, token_hash, token_prefix)
          VALUES (${accountId}, 'k', ${`hash-${Math.random()}`}, 'pk_x') RETURNING id`,
    );
    return Number(key?.id);
  }

  it.skipIf(skip)('announces a revoked key at commit, and nothing for a rolled-back revocation', async () => {
    const rolledBack = await insertKey();
    const committed = await insertKey();
    await testDb.database.db
      .transaction(async (tx) => {
        await tx.execute(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${rolledBack}`);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await testDb.database.db.execute(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${committed}`);
    // Revoking again changes nothing and announces nothing.
    await testDb.database.db.execute(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${committed}`);

    await vi.waitFor(
      () => expect(heard).toContainEqual({ kind: 'api_key', accountId, keyId: committed }),
      waitOptions,
    );
    expect(heard.filter((revocation) => revocation.kind === 'api_key')).toEqual([
      { kind: 'api_key', accountId, keyId: committed },
    ]);
  });

  it.skipIf(skip)(
    'announces a membership removed and a user deleted, and skips a malformed notice',
    async () => {
      const [user] = await queryRows<{ id: number }>(
        testDb.database.db,
        sql`INSERT INTO users (name, email) VALUES ('Ann', ${`ann-${Math.random()}@example.test`}) RETURNING id`,
      );
      const userId = Number(user?.id);
      await testDb.database.db.execute(
        sql`INSERT INTO account_users (account_id, user_id, role) VALUES (${accountId}, ${userId}, 'agent')`,
      );
      await testDb.database.notify(REVOCATIONS_CHANNEL, '{"kind":"nonsense"}');
      // The cascade removes the membership too, and its own trigger announces it.
      await testDb.database.db.execute(sql`DELETE FROM users WHERE id = ${userId}`);

      await vi.waitFor(() => expect(heard).toContainEqual({ kind: 'user', userId }), waitOptions);
      expect(heard).toContainEqual({ kind: 'membership', accountId, userId });
      expect(errors).toHaveLength(1);
    },
  );
});
