import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { builtOnceCommand } from './built-once.js';

const notes = pgTable('built_once_notes', {
  id: integer('id').primaryKey(),
  body: jsonb('body').notNull(),
  writtenAt: timestamp('written_at', { withTimezone: true }).notNull(),
});

/** A data-modifying CTE, the kind of statement `builtOnceCommand` is for. */
const writeNote = builtOnceCommand<{ id: number; body: unknown; writtenAt: Date }>(
  'built_once_write_note',
  (db, value) => {
    const insert = db
      .insert(notes)
      .values({ id: value('id'), body: value('body'), writtenAt: value('writtenAt') })
      .returning({ id: notes.id });
    return sql`with written as (${insert.getSQL()}) select count(*) from written`;
  },
);

describe('builtOnceCommand', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    await test.database.db.execute(
      sql`CREATE TABLE built_once_notes (id int PRIMARY KEY, body jsonb NOT NULL, written_at timestamptz NOT NULL)`,
    );
  });
  afterAll(async () => {
    await test.drop();
  });

  it("runs with each call's values, through the columns' encoders, on the database or in a transaction", async () => {
    const { db } = test.database;
    await writeNote(db, { id: 1, body: { says: 'first' }, writtenAt: new Date('2026-01-01T00:00:00Z') });
    await writeNote(db, { id: 2, body: ['second'], writtenAt: new Date('2026-02-02T00:00:00Z') });
    await expect(
      db.transaction(async (tx) => {
        await writeNote(tx, { id: 3, body: { says: 'rolled back' }, writtenAt: new Date() });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await db.transaction((tx) =>
      writeNote(tx, { id: 4, body: 'fourth', writtenAt: new Date('2026-04-04T00:00:00Z') }),
    );
    expect(await db.select().from(notes).orderBy(notes.id)).toEqual([
      { id: 1, body: { says: 'first' }, writtenAt: new Date('2026-01-01T00:00:00Z') },
      { id: 2, body: ['second'], writtenAt: new Date('2026-02-02T00:00:00Z') },
      { id: 4, body: 'fourth', writtenAt: new Date('2026-04-04T00:00:00Z') },
    ]);
  });
});
