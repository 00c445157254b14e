import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { queryRows } from '../../platform/db/database.js';
import { markCommitted, pruneIdempotencyKeys, reserveKey } from '../../platform/http/idempotency-store.js';

describe(`Idempotency-Key on the native API's POSTs (${backendName})`, () => {
  let app: TestApp;
  let request: ReturnType<typeof injector>;

  beforeAll(async () => {
    app = await createTestApp();
    request = injector(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const createAccount = (name: string, key?: string) =>
    request({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { ...bearer(TEST_PLATFORM_TOKEN), ...(key !== undefined && { 'idempotency-key': key }) },
      payload: { name },
    });

  async function accountsNamed(name: string): Promise<number> {
    const page = await request({
      method: 'GET',
      url: '/api/v1/accounts?limit=100',
      headers: bearer(TEST_PLATFORM_TOKEN),
    });
    return page.json<{ data: { name: string }[] }>().data.filter((account) => account.name === name).length;
  }

  const setKeyRow = (key: string, assignments: ReturnType<typeof sql>) =>
    app.parley.ctx.db.execute(sql`UPDATE idempotency_keys SET ${assignments} WHERE key = ${key}`);

  it('replays the stored answer to a retry and creates nothing more', async () => {
    const first = await createAccount('Retried Ltd', 'key-replay');
    const retry = await createAccount('Retried Ltd', 'key-replay');

    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toMatch(/application\/json/);
    expect(retry.body).toBe(first.body);
    expect(await accountsNamed('Retried Ltd')).toBe(1);
  });

  it('answers 422 when the key is reused with a different body, and runs nothing', async () => {
    await createAccount('Original', 'key-mismatch');

    const other = await createAccount('Something else', 'key-mismatch');

    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({
      error: { code: 'idempotency_key_reused', message: expect.stringMatching(/different request/) },
    });
    expect(await accountsNamed('Something else')).toBe(0);
  });

  it('keeps each principal’s keys apart', async () => {
    const acme = await seedAccount(app, 'Acme');
    const globex = await seedAccount(app, 'Globex');
    const subscribe = (account: { accountId: number; apiKey: string }) =>
      request({
        method: 'POST',
        url: `/api/v1/accounts/${account.accountId}/webhooks`,
        headers: { ...bearer(account.apiKey), 'idempotency-key': 'shared-key' },
        payload: { url: 'https://93.184.216.34/hook', events: [] },
      });

    const forAcme = await subscribe(acme);
    const forGlobex = await subscribe(globex);
    const acmeRetry = await subscribe(acme);
    const lists = await Promise.all(
      [acme, globex].map((account) =>
        request({
          method: 'GET',
          url: `/api/v1/accounts/${account.accountId}/webhooks`,
          headers: bearer(account.apiKey),
        }),
      ),
    );

    expect([forAcme.statusCode, forGlobex.statusCode]).toEqual([201, 201]);
    expect(forGlobex.headers['idempotent-replayed']).toBeUndefined();
    expect(forGlobex.json<{ id: number }>().id).not.toBe(forAcme.json<{ id: number }>().id);
    expect(acmeRetry.headers['idempotent-replayed']).toBe('true');
    expect(lists.map((list) => list.json<{ data: unknown[] }>().data.length)).toEqual([1, 1]);
  });

  it('runs concurrent duplicates once: the others get 409 or the same answer', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () => createAccount('Concurrent Co', 'key-concurrent')),
    );

    const fresh = attempts.filter(
      (response) => response.statusCode === 201 && response.headers['idempotent-replayed'] === undefined,
    );
    const others = attempts.filter((response) => !fresh.includes(response));
    expect(fresh).toHaveLength(1);
    for (const response of others) {
      if (response.statusCode === 409) {
        expect(response.json()).toMatchObject({ error: { code: 'idempotency_key_in_use' } });
      } else {
        expect(response.body).toBe(fresh[0]?.body);
      }
    }
    expect(await accountsNamed('Concurrent Co')).toBe(1);
  });

  it('leaves requests without a key as they were', async () => {
    const first = await createAccount('Unkeyed');
    const second = await createAccount('Unkeyed');

    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(await accountsNamed('Unkeyed')).toBe(2);
  });

  it('answers 400 for a key longer than 255 characters or empty', async () => {
    const long = await createAccount('Long Key', 'k'.repeat(256));
    const longest = await createAccount('Longest Key', 'k'.repeat(255));
    const empty = await createAccount('Empty Key', ' ');

    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({
      error: { code: 'bad_request', details: [{ path: 'headers.idempotency-key' }] },
    });
    expect(empty.statusCode).toBe(400);
    expect(longest.statusCode).toBe(201);
    expect(await accountsNamed('Long Key')).toBe(0);
  });

  it('stores a client error as the answer, as Stripe does', async () => {
    const acme = await seedAccount(app, 'Jobs Inc');
    const retryUnknownJob = () =>
      request({
        method: 'POST',
        url: `/api/v1/accounts/${acme.accountId}/jobs/999999/retry`,
        headers: { ...bearer(acme.apiKey), 'idempotency-key': 'key-404' },
      });

    const first = await retryUnknownJob();
    const retry = await retryUnknownJob();

    expect(first.statusCode).toBe(404);
    expect(retry.statusCode).toBe(404);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('never replays a one-time credential, and never issues it twice', async () => {
    const acme = await seedAccount(app, 'Keys Inc');
    const issue = () =>
      request({
        method: 'POST',
        url: `/api/v1/accounts/${acme.accountId}/api-keys`,
        headers: { ...bearer(acme.apiKey), 'idempotency-key': 'key-credential' },
        payload: { name: 'ci' },
      });

    const first = await issue();
    const retry = await issue();
    const keys = await request({
      method: 'GET',
      url: `/api/v1/accounts/${acme.accountId}/api-keys`,
      headers: bearer(acme.apiKey),
    });
    const stored = await queryRows<{ body: string | null }>(
      app.parley.ctx.db,
      sql`SELECT response_body AS body FROM idempotency_keys WHERE key = 'key-credential'`,
    );

    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(409);
    expect(retry.body).not.toContain(first.json<{ token: string }>().token);
    expect(stored).toEqual([{ body: null }]);
    expect(keys.json<{ data: { name: string }[] }>().data.filter((key) => key.name === 'ci')).toHaveLength(1);
  });

  describe('after a crash', () => {
    it('does not run again when the write committed but the answer could not be stored', async () => {
      const db = app.parley.ctx.db;
      // Storing the answer fails, as it would if the process died right after the write committed.
      await db.execute(sql`CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.key = 'key-lost-answer' AND NEW.state = 'completed' THEN RAISE EXCEPTION 'disk full'; END IF;
          RETURN NEW;
        END $$`);
      await db.execute(sql`CREATE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_keys
        FOR EACH ROW EXECUTE FUNCTION refuse_answer()`);

      const first = await createAccount('Lost Answer', 'key-lost-answer');
      const [row] = await queryRows<{ state: string }>(
        db,
        sql`SELECT state FROM idempotency_keys WHERE key = 'key-lost-answer'`,
      );
      const soon = await createAccount('Lost Answer', 'key-lost-answer');
      await setKeyRow('key-lost-answer', sql`locked_at = now() - interval '1 hour'`);
      const later = await createAccount('Lost Answer', 'key-lost-answer');
      await db.execute(sql`DROP TRIGGER refuse_answer ON idempotency_keys`);

      expect(first.statusCode).toBe(201);
      // Marked inside the account's own transaction, so it survives whatever happens after the commit.
      expect(row?.state).toBe('committed');
      expect(soon.statusCode).toBe(409);
      expect(soon.json()).toMatchObject({ error: { code: 'idempotency_key_in_use' } });
      expect(later.statusCode).toBe(409);
      expect(later.json()).toMatchObject({ error: { message: expect.stringMatching(/was carried out/) } });
      expect(await accountsNamed('Lost Answer')).toBe(1);
    });

    it('does not subscribe twice when the subscription committed but the answer was lost', async () => {
      const db = app.parley.ctx.db;
      const acme = await seedAccount(app, 'Lost Webhook Answer');
      await db.execute(sql`CREATE FUNCTION refuse_webhook_answer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.key = 'key-lost-webhook' AND NEW.state = 'completed' THEN RAISE EXCEPTION 'disk full'; END IF;
          RETURN NEW;
        END $$`);
      await db.execute(sql`CREATE TRIGGER refuse_webhook_answer BEFORE UPDATE ON idempotency_keys
        FOR EACH ROW EXECUTE FUNCTION refuse_webhook_answer()`);
      const subscribe = () =>
        request({
          method: 'POST',
          url: `/api/v1/accounts/${acme.accountId}/webhooks`,
          headers: { ...bearer(acme.apiKey), 'idempotency-key': 'key-lost-webhook' },
          payload: { url: 'https://93.184.216.34/hook', events: [] },
        });

      const first = await subscribe();
      await setKeyRow('key-lost-webhook', sql`locked_at = now() - interval '1 hour'`);
      const retry = await subscribe();
      await db.execute(sql`DROP TRIGGER refuse_webhook_answer ON idempotency_keys`);
      const list = await request({
        method: 'GET',
        url: `/api/v1/accounts/${acme.accountId}/webhooks`,
        headers: bearer(acme.apiKey),
      });

      expect(first.statusCode).toBe(201);
      expect(retry.statusCode).toBe(409);
      expect(list.json<{ data: unknown[] }>().data).toHaveLength(1);
    });

    it('answers 409 while the first attempt may still be running, then lets a retry take over', async () => {
      await createAccount('Crashed Before Commit', 'key-crash-early');
      // An attempt that died before committing anything: in flight, its lease not yet over.
      await setKeyRow(
        'key-crash-early',
        sql`state = 'in_flight', response_status = NULL, response_body = NULL`,
      );

      const early = await createAccount('Crashed Before Commit', 'key-crash-early');
      await setKeyRow('key-crash-early', sql`locked_at = now() - interval '1 hour'`);
      const late = await createAccount('Crashed Before Commit', 'key-crash-early');
      const again = await createAccount('Crashed Before Commit', 'key-crash-early');

      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({ error: { code: 'idempotency_key_in_use' } });
      expect(late.statusCode).toBe(201);
      expect(late.headers['idempotent-replayed']).toBeUndefined();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(late.body);
    });

    it('refuses the commit of an attempt whose key was taken over', async () => {
      const db = app.parley.ctx.db;
      const request = { scope: 'test', key: 'fenced', fingerprint: 'f', leaseMs: 30_000 };
      const stale = await reserveKey(db, request);
      await setKeyRow('fenced', sql`locked_at = now() - interval '1 hour'`);
      const fresh = await reserveKey(db, request);
      if (stale.kind !== 'owned' || fresh.kind !== 'owned') throw new Error('expected to own the key');

      const lateCommit = db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO instance_secrets (name, value) VALUES ('fenced-write', 'x')`);
        await markCommitted(tx, stale.attempt);
      });

      await expect(lateCommit).rejects.toMatchObject({ problem: { status: 409 } });
      const written = await queryRows(db, sql`SELECT 1 FROM instance_secrets WHERE name = 'fenced-write'`);
      expect(written).toHaveLength(0);
    });
  });

  it('forgets keys after a day', async () => {
    await createAccount('Old Key', 'key-old');
    await setKeyRow('key-old', sql`created_at = now() - interval '25 hours'`);

    const pruned = await pruneIdempotencyKeys(app.parley.ctx.db);
    const retry: LightMyRequestResponse = await createAccount('Old Key', 'key-old');

    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });
});
