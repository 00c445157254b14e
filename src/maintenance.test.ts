import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from './testing/app.js';
import { backendName } from './testing/database.js';
import { queryRows } from './platform/db/database.js';
import { prune } from './maintenance.js';

describe(`maintenance pruning (${backendName})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const count = async (query: ReturnType<typeof sql>) =>
    Number((await queryRows<{ n: number | string }>(app.parley.ctx.db, query))[0]?.n);

  it('removes finished jobs and dispatched events past retention and keeps everything recent or pending', async () => {
    const db = app.parley.ctx.db;
    await seedAccount(app, 'Old Times');
    await app.parley.relay.drain();
    await db.execute(
      sql`UPDATE events SET dispatched_at = now() - interval '40 days' WHERE id = (SELECT min(id) FROM events)`,
    );
    await db.execute(sql`INSERT INTO jobs (name, payload, state, finished_at) VALUES
      ('old', '{}', 'completed', now() - interval '8 days'),
      ('recent', '{}', 'completed', now() - interval '1 day'),
      ('waiting', '{}', 'queued', NULL)`);
    const eventsBefore = await count(sql`SELECT count(*) AS n FROM events`);

    const removed = await prune(db, { PARLEY_RETENTION_DAYS: 30, PARLEY_JOB_RETENTION_DAYS: 7 });

    expect(removed).toEqual({ jobs: 1, deliveries: 0, events: 1, sessions: 0, storeOrders: 0 });
    expect(await count(sql`SELECT count(*) AS n FROM events`)).toBe(eventsBefore - 1);
    expect(await count(sql`SELECT count(*) AS n FROM jobs WHERE name IN ('recent', 'waiting')`)).toBe(2);
  });

  it('purges sessions past refresh and store orders closed before retention, keeping live ones', async () => {
    const db = app.parley.ctx.db;
    const { accountId } = await seedAccount(app, 'Expiring');
    await db.execute(sql`INSERT INTO api_sessions (account_id, api_key_id, token_hash, token_prefix,
        refresh_token_hash, valid_until, refreshable_until)
      SELECT ${accountId}::bigint, id, 'dead-' || id, 'p', 'dead-refresh-' || id, now() - interval '2 days', now() - interval '1 day'
        FROM api_keys WHERE account_id = ${accountId}
      UNION ALL
      SELECT ${accountId}::bigint, id, 'live-' || id, 'p', 'live-refresh-' || id, now() - interval '1 hour', now() + interval '1 day'
        FROM api_keys WHERE account_id = ${accountId}`);
    await db.execute(sql`INSERT INTO did_area_codes (country_code, type, local_prefix, intl_prefix)
      VALUES ('FR', 'GEOGRAPHIC', '05', '+335')`);
    await db.execute(sql`INSERT INTO did_store_orders (account_id, token, area_code_id, number_class, quantity,
        state, expires_at, closed_at)
      SELECT ${accountId}::bigint, token, (SELECT max(id) FROM did_area_codes), 'CLASSIC', 1, state, now(), closed
      FROM (VALUES ('old-bought', 'bought', now() - interval '40 days'),
                   ('old-expired', 'expired', now() - interval '31 days'),
                   ('recent-cancelled', 'cancelled', now() - interval '1 day'),
                   ('open', 'reserved', NULL::timestamptz)) AS o(token, state, closed)`);

    const removed = await prune(db, { PARLEY_RETENTION_DAYS: 30, PARLEY_JOB_RETENTION_DAYS: 7 });

    expect(removed).toMatchObject({ sessions: 1, storeOrders: 2 });
    expect(await count(sql`SELECT count(*) AS n FROM api_sessions WHERE account_id = ${accountId}`)).toBe(1);
    const orders = await queryRows<{ token: string }>(
      db,
      sql`SELECT token FROM did_store_orders WHERE account_id = ${accountId} ORDER BY token`,
    );
    expect(orders.map((order) => order.token)).toEqual(['open', 'recent-cancelled']);
  });

  it('keeps exactly one pending maintenance run however often it is scheduled', async () => {
    await app.parley.startBackground();
    await app.parley.startBackground();

    expect(
      await count(sql`SELECT count(*) AS n FROM jobs WHERE name = 'maintenance.prune' AND state = 'queued'`),
    ).toBe(1);
  });
});
