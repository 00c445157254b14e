import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { getRoom } from './conference-rooms.js';
import {
  conferenceParticipants,
  isLiveParticipant,
  type ConferenceParticipantRow,
} from './conferences.tables.js';

/** A bound on one answer; a room this full is far past what a phone conference holds. */
export const MAX_LISTED_PARTICIPANTS = 1000;

/** Who is in the room now, in the order they were called. */
export async function listRoomParticipants(
  db: Db,
  accountId: number,
  roomId: number,
): Promise<ConferenceParticipantRow[]> {
  const { room } = await getRoom(db, accountId, roomId);
  return db
    .select()
    .from(conferenceParticipants)
    .where(
      and(
        eq(conferenceParticipants.roomId, room.id),
        isLiveParticipant,
        eq(conferenceParticipants.status, 'joined'),
      ),
    )
    .orderBy(asc(conferenceParticipants.id))
    .limit(MAX_LISTED_PARTICIPANTS);
}

/** One leg, live or over; another account's is not found. */
export async function getParticipant(
  db: Db,
  accountId: number,
  participantId: number,
): Promise<ConferenceParticipantRow> {
  const [row] = await db
    .select()
    .from(conferenceParticipants)
    .where(
      and(eq(conferenceParticipants.accountId, accountId), eq(conferenceParticipants.id, participantId)),
    );
  if (!row) throw notFound('Participant');
  return row;
}
