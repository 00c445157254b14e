import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accounts } from '../identity/identity.tables.js';

/** Modjo's default: calls shorter than two minutes are not kept unless the account lowers it. */
export const DEFAULT_MINIMUM_CALL_SECONDS = 120;

/** Account setting `callMinimumDurationSeconds` (set with the native accounts API). */
export async function minimumCallSeconds(db: Db, accountId: number): Promise<number> {
  const [row] = await db
    .select({ settings: accounts.settings })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  const value = row?.settings['callMinimumDurationSeconds'];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? value
    : DEFAULT_MINIMUM_CALL_SECONDS;
}

/** Signed upload links live as long as Modjo's: 20 minutes. */
export const UPLOAD_LINK_SECONDS = 20 * 60;

export function recordingKeyOf(accountId: number, callId: number, extension: string): string {
  return `calls/${accountId}/${callId}/recording.${extension}`;
}

const RECORDING_KEY = /^calls\/(\d+)\/(\d+)\/recording\.[a-z0-9]+$/;

export function parseRecordingKey(key: string): { accountId: number; callId: number } | null {
  const match = RECORDING_KEY.exec(key);
  if (!match) return null;
  return { accountId: Number(match[1]), callId: Number(match[2]) };
}
