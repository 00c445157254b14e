import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

/** What an access lets its holder do in the room (CALLR `CONFERENCE10.Room.Access.level`). */
export const accessLevels = ['GUEST', 'ADMIN'] as const;
export type AccessLevel = (typeof accessLevels)[number];

/**
 * A conference room: people join it by calling one of its numbers (with an access PIN) or by
 * being called through one of its accesses. A closed room (`is_open` false) takes no one new.
 */
export const conferenceRooms = pgTable(
  'conference_rooms',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    isOpen: boolean('is_open').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('conference_rooms_account_idx').on(table.accountId, table.id)],
);

export type ConferenceRoomRow = typeof conferenceRooms.$inferSelect;

/** A way into a room: a PIN (unique in the room), a level, and optionally a number to call it on. */
export const conferenceAccesses = pgTable(
  'conference_accesses',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    roomId: bigint('room_id', { mode: 'number' })
      .notNull()
      .references(() => conferenceRooms.id, { onDelete: 'cascade' }),
    pin: text('pin').notNull(),
    level: text('level', { enum: accessLevels }).notNull(),
    /** E.164, or null when the access is only a PIN to dial in with. */
    phoneNumber: text('phone_number'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('conference_accesses_room_pin_idx').on(table.roomId, table.pin)],
);

export type ConferenceAccessRow = typeof conferenceAccesses.$inferSelect;

/**
 * `calling` while the leg rings (or hears its announcement), `joined` while in the room, `left`
 * once it hung up after joining, `failed` when it never joined (busy, no answer, hung up first).
 */
export const participantStatuses = ['calling', 'joined', 'left', 'failed'] as const;
export type ParticipantStatus = (typeof participantStatuses)[number];

/** How a leg's dialling ended, in CALLR CDR terms (`dialstatus`). */
export const participantDialStatuses = [
  'ANSWER',
  'BUSY',
  'CANCEL',
  'CHANUNAVAIL',
  'CONGESTION',
  'NOANSWER',
] as const;
export type ParticipantDialStatus = (typeof participantDialStatuses)[number];

/** One call leg in a room: placed through an access, answered, joined, then left. */
export const conferenceParticipants = pgTable(
  'conference_participants',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    roomId: bigint('room_id', { mode: 'number' })
      .notNull()
      .references(() => conferenceRooms.id, { onDelete: 'cascade' }),
    accessId: bigint('access_id', { mode: 'number' }).references(() => conferenceAccesses.id, {
      onDelete: 'set null',
    }),
    /** The level and number when the leg was placed: the participant keeps them if the access changes. */
    level: text('level', { enum: accessLevels }).notNull(),
    number: text('number').notNull(),
    /** The caller id presented: E.164, "BLOCKED", or "" for the platform default. */
    cli: text('cli').notNull().default(''),
    announce: boolean('announce').notNull().default(false),
    status: text('status', { enum: participantStatuses }).notNull().default('calling'),
    dialStatus: text('dial_status', { enum: participantDialStatuses }),
    carrierCallId: text('carrier_call_id'),
    dialedAt: timestamp('dialed_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    joinedAt: timestamp('joined_at', { withTimezone: true }),
    leftAt: timestamp('left_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Who is in a room now, and whether a room still has live legs (delete is refused then).
    index('conference_participants_live_idx')
      .on(table.roomId, table.id)
      .where(sql`${table.status} IN ('calling', 'joined')`),
    uniqueIndex('conference_participants_carrier_idx').on(table.carrierCallId),
  ],
);

export type ConferenceParticipantRow = typeof conferenceParticipants.$inferSelect;

/** A leg still ringing or in the room; a literal, so the planner matches the partial index. */
export const isLiveParticipant = sql`${conferenceParticipants.status} IN ('calling', 'joined')`;
