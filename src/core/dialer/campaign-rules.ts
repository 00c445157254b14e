import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { campaigns, dialerCalendars, type CampaignRow } from '../campaigns/campaigns.tables.js';
import { windowOpenSql } from './calling-window.js';
import type { CallingRules } from './contact-picker.js';

export interface DialingCampaign {
  campaign: CampaignRow;
  rules: CallingRules;
}

/** A campaign and the calling rules it dials under: its calendar's when it has one, else its own. */
export async function loadDialingCampaign(
  db: Db,
  campaignId: number,
  accountId?: number,
): Promise<DialingCampaign | undefined> {
  const [row] = await db
    .select({ campaign: campaigns, calendar: dialerCalendars })
    .from(campaigns)
    .leftJoin(
      dialerCalendars,
      and(eq(dialerCalendars.id, campaigns.calendarId), eq(dialerCalendars.accountId, campaigns.accountId)),
    )
    .where(
      accountId === undefined
        ? eq(campaigns.id, campaignId)
        : and(eq(campaigns.id, campaignId), eq(campaigns.accountId, accountId)),
    );
  if (!row) return undefined;
  const { campaign, calendar } = row;
  const rules: CallingRules = calendar
    ? { timezone: calendar.timezone, windows: calendar.weeklyWindows, holidays: calendar.holidays }
    : { timezone: campaign.timezone, windows: campaign.callingWindows, holidays: campaign.holidays };
  return { campaign, rules };
}

export function isRunning(campaign: Pick<CampaignRow, 'isPaused' | 'isArchived'>): boolean {
  return !campaign.isPaused && !campaign.isArchived;
}

/** Whether the campaign's own window is open at `at` (same SQL as the pick), for the audit trail. */
export async function isWindowOpen(db: Db, rules: CallingRules, at: Date): Promise<boolean> {
  const holidays = `{${rules.holidays.filter((day) => /^\d{4}-\d{2}-\d{2}$/.test(day)).join(',')}}`;
  const [row] = await queryRows<{ open: boolean }>(
    db,
    sql`SELECT ${windowOpenSql({
      windows: sql`${JSON.stringify(rules.windows)}::jsonb`,
      timezone: sql`${rules.timezone}::text`,
      holidays: sql`${holidays}::date[]`,
      at,
    })} AS open`,
  );
  return row?.open === true;
}
