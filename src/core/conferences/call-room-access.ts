import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/index.js';
import { checkCli } from '../telephony/start-calls.js';
import { lockRoom } from './conference-rooms.js';
import { dialParticipantJob } from './conferences.jobs.js';
import {
  conferenceAccesses,
  conferenceParticipants,
  type ConferenceParticipantRow,
} from './conferences.tables.js';

export interface CallRoomAccessInput {
  accountId: number;
  accessId: number;
  /** "" for the platform default, "BLOCKED", or an E.164 number the account may present. */
  cli: string;
  /** Announce the newcomer to the room when they join (kept on the leg for the media layer). */
  announce: boolean;
}

/**
 * Calls an access's phone number and brings whoever answers into the access's room with its
 * level. The leg is written and its dialling queued in one transaction, with the room locked, so
 * a room being deleted never gets a leg.
 */
export async function callRoomAccess(db: Db, input: CallRoomAccessInput): Promise<ConferenceParticipantRow> {
  const [access] = await db
    .select()
    .from(conferenceAccesses)
    .where(and(eq(conferenceAccesses.accountId, input.accountId), eq(conferenceAccesses.id, input.accessId)));
  if (!access) throw notFound('Room access');
  const number = access.phoneNumber;
  if (number === null) {
    throw new DomainError('VALIDATION_FAILED', 'The access has no phone number to call', [
      { path: 'access', message: 'has no phone_number to call' },
    ]);
  }
  await checkCli(db, input.accountId, input.cli, 'cli');
  return db.transaction(async (tx) => {
    const room = await lockRoom(tx, input.accountId, access.roomId);
    if (!room.isOpen)
      throw new DomainError('INVALID_STATE', 'The room is closed: open it to bring people in');
    const [participant] = await tx
      .insert(conferenceParticipants)
      .values({
        accountId: input.accountId,
        roomId: room.id,
        accessId: access.id,
        level: access.level,
        number,
        cli: input.cli,
        announce: input.announce,
      })
      .returning();
    if (!participant) throw new Error('INSERT … RETURNING gave no row');
    await enqueue(
      tx,
      dialParticipantJob,
      { accountId: input.accountId, participantId: participant.id },
      { accountId: input.accountId },
    );
    return participant;
  });
}
