import { randomInt } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { sqlStateOf } from '../../platform/db/database-errors.js';
import { DomainError } from '../../platform/errors.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { getMediaItem } from './media-items.js';
import { mediaItems, type MediaItemRow } from './media.tables.js';

/**
 * Record-by-phone (`media/library.get_phone_id`): the caller dials one of the account's numbers in
 * the country and keys in a DTMF code; the call's recording becomes the media's content. The code
 * is valid a day and unique per number, so the number alone tells nothing and the code alone
 * matches nothing. Answering such a call is telephony's part: `findMediaByPhoneId` is its look-up.
 */
export const PHONE_ID_TTL_MS = 24 * 60 * 60 * 1000;
const CODE_DIGITS = 6;

export interface MediaPhoneId {
  code: string;
  number: string;
}

/** The account's number used for recording in `country`: one no app or inbox answers, if it has one. */
async function recordingNumberIn(db: Db, accountId: number, country: string): Promise<string | null> {
  const [row] = await db
    .select({ number: phoneNumbers.number })
    .from(phoneNumbers)
    .where(
      and(
        eq(phoneNumbers.accountId, accountId),
        eq(phoneNumbers.state, 'active'),
        eq(phoneNumbers.countryCode, country.toUpperCase()),
      ),
    )
    .orderBy(
      sql`(${phoneNumbers.voiceAppId} IS NULL AND ${phoneNumbers.inboxId} IS NULL) DESC`,
      asc(phoneNumbers.id),
    )
    .limit(1);
  return row?.number ?? null;
}

function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

export async function getMediaPhoneId(
  db: Db,
  accountId: number,
  id: number,
  country: string,
  now = new Date(),
): Promise<MediaPhoneId> {
  const media = await getMediaItem(db, accountId, id);
  const number = await recordingNumberIn(db, accountId, country);
  if (number === null) {
    throw new DomainError(
      'NOT_FOUND',
      `The account has no active number in ${country.toUpperCase()} to record by phone`,
      [{ path: 'country', message: 'no active number of the account in this country' }],
    );
  }
  if (
    media.phoneIdNumber === number &&
    media.phoneIdCode !== null &&
    media.phoneIdExpiresAt !== null &&
    media.phoneIdExpiresAt > now
  ) {
    return { code: media.phoneIdCode, number };
  }
  // A code already given out on this number is regenerated: the unique index settles races.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const code = newCode();
    const saved = await db
      .update(mediaItems)
      .set({
        phoneIdNumber: number,
        phoneIdCode: code,
        phoneIdExpiresAt: new Date(now.getTime() + PHONE_ID_TTL_MS),
        updatedAt: now,
      })
      .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)))
      .returning({ id: mediaItems.id })
      .catch((error: unknown) => {
        if (sqlStateOf(error) === '23505') return null;
        throw error;
      });
    if (saved === null) continue;
    if (saved.length === 0) throw new DomainError('NOT_FOUND', 'Media not found');
    return { code, number };
  }
  throw new DomainError('CONFLICT', 'Could not allocate a recording code; try again');
}

/** For the telephony side: the media a caller records into by dialing `number` and keying `code`. */
export async function findMediaByPhoneId(
  db: Db,
  number: string,
  code: string,
  now = new Date(),
): Promise<MediaItemRow | null> {
  const [row] = await db
    .select()
    .from(mediaItems)
    .where(
      and(
        eq(mediaItems.phoneIdNumber, number),
        eq(mediaItems.phoneIdCode, code),
        gt(mediaItems.phoneIdExpiresAt, now),
      ),
    );
  return row ?? null;
}
