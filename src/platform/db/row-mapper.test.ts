import { eq, sql } from 'drizzle-orm';
import { bigint, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { builtOnce } from './built-once.js';

const owners = pgTable('row_mapper_owners', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
const pets = pgTable('row_mapper_pets', {
  id: integer('id').primaryKey(),
  ownerId: integer('owner_id').notNull(),
  nickname: text('nickname'),
  traits: jsonb('traits'),
  weight: bigint('weight', { mode: 'number' }),
  adoptedAt: timestamp('adopted_at', { withTimezone: true }),
});

/** Every kind of field Drizzle maps: whole tables, picked columns, SQL with and without a decoder, mixed objects. */
const selection = {
  owner: owners,
  pet: {
    id: pets.id,
    nickname: pets.nickname,
    traits: pets.traits,
    weight: pets.weight,
    adoptedAt: pets.adoptedAt,
  },
  petCount: sql<number>`(SELECT count(*) FROM row_mapper_pets p WHERE p.owner_id = ${owners.id})`.mapWith(
    Number,
  ),
  label: sql<string>`${owners.name} || '!'`,
  mixed: { petNickname: pets.nickname, ownerName: owners.name },
};

const ownersWithPets = builtOnce<unknown, { minId: number }>('row_mapper_owners_with_pets', (db, value) =>
  db
    .select(selection)
    .from(owners)
    .leftJoin(pets, eq(pets.ownerId, owners.id))
    .where(sql`${owners.id} >= ${value('minId')}`)
    .orderBy(owners.id, pets.id),
);

describe('compileRowMapper (through builtOnce)', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    const { db } = test.database;
    await db.execute(
      sql`CREATE TABLE row_mapper_owners (id int PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL)`,
    );
    await db.execute(
      sql`CREATE TABLE row_mapper_pets (id int PRIMARY KEY, owner_id int NOT NULL, nickname text, traits jsonb, weight bigint, adopted_at timestamptz)`,
    );
    await db.insert(owners).values([
      { id: 1, name: 'Ada', createdAt: new Date('2026-01-02T03:04:05.678Z') },
      { id: 2, name: 'Grace', createdAt: new Date('2026-02-03T04:05:06Z') },
      { id: 3, name: 'Linus', createdAt: new Date('2026-03-04T05:06:07Z') },
    ]);
    await db.insert(pets).values([
      {
        id: 10,
        ownerId: 1,
        nickname: 'Rex',
        traits: { calm: true },
        weight: 12,
        adoptedAt: new Date('2025-05-05T00:00:00Z'),
      },
      // A pet whose first selected column is set and the rest null: its object must stay an object.
      { id: 11, ownerId: 1, nickname: null, traits: null, weight: null, adoptedAt: null },
      { id: 20, ownerId: 2, nickname: 'Tom', traits: [1, 2], weight: 4, adoptedAt: null },
    ]);
  });
  afterAll(async () => {
    await test.drop();
  });

  it("maps rows exactly as Drizzle's own mapper does: decoders, nested paths, and null for a missing join", async () => {
    const { db } = test.database;
    const expected = await db
      .select(selection)
      .from(owners)
      .leftJoin(pets, eq(pets.ownerId, owners.id))
      .where(sql`${owners.id} >= ${1}`)
      .orderBy(owners.id, pets.id);
    const mapped = await ownersWithPets(db, { minId: 1 });
    expect(mapped).toEqual(expected);
    // The cases that matter, spelled out so an equal-but-wrong Drizzle upgrade cannot hide them.
    expect(mapped).toHaveLength(4);
    const [rex, quiet, tom, linus] = mapped as (typeof expected)[number][];
    expect(rex!.owner.createdAt).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    expect(rex!.pet).toEqual({
      id: 10,
      nickname: 'Rex',
      traits: { calm: true },
      weight: 12,
      adoptedAt: new Date('2025-05-05T00:00:00Z'),
    });
    expect(rex!.petCount).toBe(2);
    expect(rex!.label).toBe('Ada!');
    expect(quiet!.pet).toEqual({ id: 11, nickname: null, traits: null, weight: null, adoptedAt: null });
    expect(tom!.pet?.traits).toEqual([1, 2]);
    expect(linus!.pet).toBeNull();
    expect(linus!.petCount).toBe(0);
    // An object mixing two tables is never nulled.
    expect(linus!.mixed).toEqual({ petNickname: null, ownerName: 'Linus' });
  });

  it('runs inside a transaction with the same mapping, with the values of each call', async () => {
    const { db } = test.database;
    const rows = await db.transaction((tx) => ownersWithPets(tx, { minId: 3 }));
    expect(rows).toEqual([
      {
        owner: { id: 3, name: 'Linus', createdAt: new Date('2026-03-04T05:06:07Z') },
        pet: null,
        petCount: 0,
        label: 'Linus!',
        mixed: { petNickname: null, ownerName: 'Linus' },
      },
    ]);
  });
});
