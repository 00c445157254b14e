import { and, asc, desc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { phoneNumbers, type PhoneNumberRow } from '../numbers/numbers.tables.js';
import type { RoomAccessInput, RoomInput } from './conference.schema.js';
import {
  conferenceAccesses,
  conferenceParticipants,
  conferenceRooms,
  isLiveParticipant,
  type ConferenceAccessRow,
  type ConferenceRoomRow,
} from './conferences.tables.js';

export const MAX_ROOMS_PER_ACCOUNT = 1000;

/** A room with its accesses (by PIN order) and the numbers assigned to it. */
export interface RoomDetail {
  room: ConferenceRoomRow;
  accesses: ConferenceAccessRow[];
  numbers: PhoneNumberRow[];
}

export type RoomOrder = 'id' | '-id' | 'name' | '-name';

/** The account's room, locked for a change; another account's room is not found. */
export async function lockRoom(tx: Db, accountId: number, roomId: number): Promise<ConferenceRoomRow> {
  const [room] = await tx
    .select()
    .from(conferenceRooms)
    .where(and(eq(conferenceRooms.accountId, accountId), eq(conferenceRooms.id, roomId)))
    .for('update');
  if (!room) throw notFound('Room');
  return room;
}

/** Rooms' accesses and numbers: one query each, whatever the number of rooms. */
async function withRelations(db: Db, accountId: number, rooms: ConferenceRoomRow[]): Promise<RoomDetail[]> {
  if (rooms.length === 0) return [];
  const ids = rooms.map((room) => room.id);
  const [accesses, numbers] = await Promise.all([
    db
      .select()
      .from(conferenceAccesses)
      .where(and(eq(conferenceAccesses.accountId, accountId), inArray(conferenceAccesses.roomId, ids)))
      .orderBy(asc(conferenceAccesses.pin)),
    db
      .select()
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.accountId, accountId), inArray(phoneNumbers.conferenceRoomId, ids)))
      .orderBy(asc(phoneNumbers.id)),
  ]);
  return rooms.map((room) => ({
    room,
    accesses: accesses.filter((access) => access.roomId === room.id),
    numbers: numbers.filter((number) => number.conferenceRoomId === room.id),
  }));
}

export async function getRoom(db: Db, accountId: number, roomId: number): Promise<RoomDetail> {
  const [room] = await db
    .select()
    .from(conferenceRooms)
    .where(and(eq(conferenceRooms.accountId, accountId), eq(conferenceRooms.id, roomId)));
  if (!room) throw notFound('Room');
  const [detail] = await withRelations(db, accountId, [room]);
  if (!detail) throw notFound('Room');
  return detail;
}

/** One page of the account's rooms, with the total for CALLR's `Search.Results`. */
export async function listRooms(
  db: Db,
  accountId: number,
  options: { offset: number; limit: number; order: RoomOrder },
): Promise<{ items: RoomDetail[]; total: number }> {
  const orderBy: Record<RoomOrder, SQL[]> = {
    id: [asc(conferenceRooms.id)],
    '-id': [desc(conferenceRooms.id)],
    name: [asc(conferenceRooms.name), asc(conferenceRooms.id)],
    '-name': [desc(conferenceRooms.name), desc(conferenceRooms.id)],
  };
  const where = eq(conferenceRooms.accountId, accountId);
  const rows = await db
    .select({ room: conferenceRooms, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(conferenceRooms)
    .where(where)
    .orderBy(...orderBy[options.order])
    .limit(options.limit)
    .offset(options.offset);
  const items = await withRelations(
    db,
    accountId,
    rows.map(({ room }) => room),
  );
  if (rows[0]) return { items, total: rows[0].total };
  const [counted] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(conferenceRooms)
    .where(where);
  return { items, total: counted?.total ?? 0 };
}

/**
 * Makes the room's accesses the given list. An access whose PIN stays keeps its id (a participant
 * that came through it still points at it); the others are replaced.
 */
async function replaceAccesses(tx: Db, room: ConferenceRoomRow, accesses: RoomAccessInput[]): Promise<void> {
  const pins = accesses.map((access) => access.pin);
  await tx
    .delete(conferenceAccesses)
    .where(
      and(
        eq(conferenceAccesses.roomId, room.id),
        pins.length > 0 ? notInArray(conferenceAccesses.pin, pins) : undefined,
      ),
    );
  if (accesses.length === 0) return;
  await tx
    .insert(conferenceAccesses)
    .values(accesses.map((access) => ({ accountId: room.accountId, roomId: room.id, ...access })))
    .onConflictDoUpdate({
      target: [conferenceAccesses.roomId, conferenceAccesses.pin],
      set: { level: sql`excluded.level`, phoneNumber: sql`excluded.phone_number` },
    });
}

export async function createRoom(
  db: Db,
  accountId: number,
  input: Required<Pick<RoomInput, 'name'>> & RoomInput,
): Promise<RoomDetail> {
  const room = await db.transaction(async (tx) => {
    const [counted] = await tx
      .select({ total: sql<number>`count(*)`.mapWith(Number) })
      .from(conferenceRooms)
      .where(eq(conferenceRooms.accountId, accountId));
    if ((counted?.total ?? 0) >= MAX_ROOMS_PER_ACCOUNT) {
      throw new DomainError('CONFLICT', `An account has at most ${MAX_ROOMS_PER_ACCOUNT} conference rooms`);
    }
    const [created] = await tx
      .insert(conferenceRooms)
      .values({ accountId, name: input.name, isOpen: input.isOpen ?? true })
      .returning();
    if (!created) throw new Error('INSERT … RETURNING gave no row');
    await replaceAccesses(tx, created, input.accesses ?? []);
    return created;
  });
  return getRoom(db, accountId, room.id);
}

/** Changes what is given: the name, the open flag, and (as a whole list) the accesses. */
export async function updateRoom(
  db: Db,
  accountId: number,
  roomId: number,
  input: RoomInput,
): Promise<RoomDetail> {
  await db.transaction(async (tx) => {
    const room = await lockRoom(tx, accountId, roomId);
    await tx
      .update(conferenceRooms)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.isOpen !== undefined && { isOpen: input.isOpen }),
        updatedAt: new Date(),
      })
      .where(eq(conferenceRooms.id, room.id));
    if (input.accesses !== undefined) await replaceAccesses(tx, room, input.accesses);
  });
  return getRoom(db, accountId, roomId);
}

/** Deletes a room nobody is in or being called to; its numbers become free (FK set null). */
export async function deleteRoom(db: Db, accountId: number, roomId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const room = await lockRoom(tx, accountId, roomId);
    const [live] = await tx
      .select({ id: conferenceParticipants.id })
      .from(conferenceParticipants)
      .where(and(eq(conferenceParticipants.roomId, room.id), isLiveParticipant))
      .limit(1);
    if (live) {
      throw new DomainError('INVALID_STATE', 'The room has live participants: wait until they have left');
    }
    await tx.delete(conferenceRooms).where(eq(conferenceRooms.id, room.id));
  });
}
