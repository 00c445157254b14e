import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import { queryRows, type Db } from '../db/database.js';
import { insertAccount } from '../../core/filters/filter-test-kit.js';
import { labelCreated } from '../../core/labels/labels.events.js';
import type { Logger } from 'drizzle-orm';
import { waitFor } from '../../testing/wait.js';
import { EVENTS_CHANNEL, recordEvent, recordEvents } from './outbox.js';

interface StoredEvent extends Record<string, unknown> {
  type: string;
  version: number;
  aggregate_type: string;
  aggregate_id: string;
  actor: unknown;
  actor_is_null: boolean;
  payload: unknown;
}

const label = (id: number) => ({
  id,
  uuid: `00000000-0000-4000-8000-00000000000${id}`,
  name: `label-${id}`,
  color: null,
  description: 'kept',
  state: 'active' as const,
});

/**
 * One event is written by a statement built once, several by one built each time: both must
 * store the same row, a missing actor as NULL (not JSON null) included.
 */
describe(`outbox (${backendName})`, () => {
  let testDb: TestDatabase;
  let db: Db;
  let accountId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    accountId = await insertAccount(db);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const stored = (ids: number[]) =>
    queryRows<StoredEvent>(
      db,
      sql`SELECT type, version, aggregate_type, aggregate_id, actor, actor IS NULL AS actor_is_null, payload
          FROM events WHERE account_id = ${accountId} AND aggregate_id = ANY(${`{${ids.join(',')}}`}::text[])
          ORDER BY id`,
    );

  it('stores one event and several alike, with or without an actor', async () => {
    await db.transaction(async (tx) => {
      await recordEvent(tx, labelCreated, {
        accountId,
        aggregateId: 1,
        payload: label(1),
        actor: { type: 'user', id: 7, ip: '203.0.113.9' },
      });
      await recordEvent(tx, labelCreated, { accountId, aggregateId: 2, payload: label(2) });
      await recordEvents(tx, labelCreated, [
        { accountId, aggregateId: 3, payload: label(3), actor: { type: 'system', id: 'import' } },
        { accountId, aggregateId: 4, payload: label(4) },
      ]);
    });
    const rows = await stored([1, 2, 3, 4]);
    const expected = (id: number, actor: unknown) => ({
      type: 'label.created',
      version: 1,
      aggregate_type: 'label',
      aggregate_id: String(id),
      actor,
      actor_is_null: actor === null,
      payload: label(id),
    });
    expect(
      rows.map((row) => ({
        ...row,
        actor: typeof row.actor === 'string' ? JSON.parse(row.actor) : row.actor,
        payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
      })),
    ).toEqual([
      expected(1, { type: 'user', id: 7, ip: '203.0.113.9' }),
      expected(2, null),
      expected(3, { type: 'system', id: 'import' }),
      expected(4, null),
    ]);
  });

  it('writes nothing when the change rolls back, and refuses a payload its schema does not accept', async () => {
    await expect(
      db.transaction(async (tx) => {
        await recordEvent(tx, labelCreated, { accountId, aggregateId: 5, payload: label(5) });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await expect(
      recordEvent(db, labelCreated, {
        accountId,
        aggregateId: 6,
        payload: { ...label(6), state: 'archived' } as unknown as ReturnType<typeof label>,
      }),
    ).rejects.toThrow();
    expect(await stored([5, 6])).toEqual([]);
  });

  /** Every statement Drizzle sends on `db` (and its transactions) while `action` runs. */
  async function statementsOf(action: () => Promise<unknown>): Promise<string[]> {
    const captured: string[] = [];
    const logger: Logger = { logQuery: (query) => captured.push(query) };
    // Transactions copy the root session's options, so both hooks are needed.
    const session = (db as unknown as { session: { logger: Logger; options: { logger?: Logger } } }).session;
    const before = { logger: session.logger, options: session.options.logger };
    session.logger = logger;
    session.options.logger = logger;
    try {
      await action();
      return captured;
    } finally {
      session.logger = before.logger;
      session.options.logger = before.options;
    }
  }

  it('wakes the relay once the change commits, never for one rolled back', async () => {
    const heard: string[] = [];
    const unlisten = await testDb.database.listen(EVENTS_CHANNEL, (payload) => heard.push(payload));
    try {
      await expect(
        db.transaction(async (tx) => {
          await recordEvent(tx, labelCreated, { accountId, aggregateId: 7, payload: label(7) });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual([]);

      const statements = await statementsOf(() =>
        db.transaction((tx) =>
          recordEvent(tx, labelCreated, { accountId, aggregateId: 8, payload: label(8) }),
        ),
      );

      await waitFor(() => heard.length > 0, { what: 'the wake-up' });
      // On a server the NOTIFY leaves after the commit (a NOTIFY inside a transaction makes
      // PostgreSQL commit notifying transactions one WAL flush at a time); the embedded database
      // sends it with the insert.
      const insideTransaction = statements.filter((statement) => /pg_notify/i.test(statement));
      expect(insideTransaction).toHaveLength(backendName === 'server' ? 0 : 1);
    } finally {
      await unlisten();
    }
  });
});
