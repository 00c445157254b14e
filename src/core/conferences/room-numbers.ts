import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { phoneNumbers, type PhoneNumberRow } from '../numbers/numbers.tables.js';
import { lockAccountNumber } from '../voice-apps/voice-apps.js';
import { lockRoom } from './conference-rooms.js';

/** Why a number cannot serve a room: it already serves something else (one number, one target). */
function otherTarget(number: PhoneNumberRow, roomId: number): string | null {
  if (number.voiceAppId !== null) return 'a voice app';
  if (number.inboxId !== null) return 'an inbox';
  if (number.conferenceRoomId !== null && number.conferenceRoomId !== roomId)
    return 'another conference room';
  return null;
}

/**
 * Routes a number's calls to a room. A number already on an app, an inbox or another room is
 * refused (take it off there first); assigning it to its own room again changes nothing.
 */
export async function assignNumberToRoom(
  db: Db,
  input: { accountId: number; roomId: number; numberId: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const room = await lockRoom(tx, input.accountId, input.roomId);
    const number = await lockAccountNumber(tx, input.accountId, input.numberId);
    const target = otherTarget(number, room.id);
    if (target !== null) {
      throw new DomainError('CONFLICT', `The DID is assigned to ${target}: remove it there first`, [
        { path: 'number', message: `already assigned to ${target}` },
      ]);
    }
    await tx
      .update(phoneNumbers)
      .set({ conferenceRoomId: room.id, updatedAt: new Date() })
      .where(eq(phoneNumbers.id, number.id));
  });
}

/** Takes a number off its room (nothing to do when it has none). */
export async function removeNumberFromRoom(
  db: Db,
  input: { accountId: number; numberId: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const number = await lockAccountNumber(tx, input.accountId, input.numberId);
    if (number.conferenceRoomId === null) return;
    await tx
      .update(phoneNumbers)
      .set({ conferenceRoomId: null, updatedAt: new Date() })
      .where(eq(phoneNumbers.id, number.id));
  });
}
