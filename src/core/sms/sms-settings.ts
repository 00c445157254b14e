import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { smsSettings } from './sms.tables.js';

/**
 * An account's SMS settings: where the account wants delivery receipts (DLR) and inbound SMS (MO)
 * pushed, as CALLR's `sms.set_settings` examples name them. Unset fields read as their default.
 */
export interface SmsSettings {
  push_dlr_enabled: boolean;
  push_dlr_url: string;
  push_mo_enabled: boolean;
  push_mo_url: string;
}

export const defaultSmsSettings: SmsSettings = {
  push_dlr_enabled: false,
  push_dlr_url: '',
  push_mo_enabled: false,
  push_mo_url: '',
};

function withDefaults(stored: Record<string, unknown> | undefined): SmsSettings {
  return { ...defaultSmsSettings, ...(stored as Partial<SmsSettings> | undefined) };
}

export async function getSmsSettings(db: Db, accountId: number): Promise<SmsSettings> {
  const [row] = await db.select().from(smsSettings).where(eq(smsSettings.accountId, accountId));
  return withDefaults(row?.settings);
}

/** Merges the given fields into the stored settings (one upsert) and returns the result. */
export async function updateSmsSettings(
  db: Db,
  accountId: number,
  changes: Partial<SmsSettings>,
): Promise<SmsSettings> {
  const [row] = await db
    .insert(smsSettings)
    .values({ accountId, settings: { ...changes } })
    .onConflictDoUpdate({
      target: smsSettings.accountId,
      set: { settings: sql`${smsSettings.settings} || excluded.settings`, updatedAt: sql`now()` },
    })
    .returning();
  return withDefaults(row?.settings);
}
