import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { tallyRecordings } from '../recordings/recording-overview.js';
import { mediaItems } from './media.tables.js';

/**
 * Free storage every account has for its media, in seconds of audio (library and recordings
 * together). No paid storage can be bought yet, so `paidSeconds` is 0.
 */
export const FREE_MEDIA_STORAGE_SECONDS = 10 * 60 * 60;

/** CALLR's `Media.Quota`, in seconds: what the library and the recordings hold, against the quota. */
export interface MediaQuota {
  count: { library: number; recording: number };
  seconds: { library: number; recording: number };
  quota: { freeSeconds: number; paidSeconds: number };
  status: { used: number; unused: number; usedFree: number; usedPaid: number };
}

export async function mediaQuota(db: Db, accountId: number): Promise<MediaQuota> {
  const [library] = await db
    .select({
      count: sql<number>`count(*)::int`,
      seconds: sql<number>`coalesce(sum(round(${mediaItems.durationMs} / 1000.0)), 0)::float8`,
    })
    .from(mediaItems)
    .where(eq(mediaItems.accountId, accountId));
  const recordings = await tallyRecordings(db, accountId);
  const seconds = { library: library?.seconds ?? 0, recording: recordings.ready.durationSeconds };
  const quota = { freeSeconds: FREE_MEDIA_STORAGE_SECONDS, paidSeconds: 0 };
  const used = seconds.library + seconds.recording;
  const usedFree = Math.min(used, quota.freeSeconds);
  return {
    count: { library: library?.count ?? 0, recording: recordings.ready.count },
    seconds,
    quota,
    status: {
      used,
      unused: Math.max(0, quota.freeSeconds + quota.paidSeconds - used),
      usedFree,
      usedPaid: Math.min(used - usedFree, quota.paidSeconds),
    },
  };
}
