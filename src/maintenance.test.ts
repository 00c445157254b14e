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

    expect(removed).toEqual({ jobs: 1, deliveries: 0, events: 1 });
    expect(await count(sql`SELECT count(*) AS n FROM events`)).toBe(eventsBefore - 1);
    expect(await count(sql`SELECT count(*) AS n FROM jobs WHERE name IN ('recent', 'waiting')`)).toBe(2);
  });

  it('keeps exactly one pending maintenance run however often it is scheduled', async () => {
    await app.parley.startBackground();
    await app.parley.startBackground();

    expect(
      await count(sql`SELECT count(*) AS n FROM jobs WHERE name = 'maintenance.prune' AND state = 'queued'`),
    ).toBe(1);
  });
});
