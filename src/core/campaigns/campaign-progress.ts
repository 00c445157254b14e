import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { ABANDON_WINDOW_DAYS, FINAL_WRAPUP_STATUSES } from '../dialer/dialer-deps.js';
import { maxTriesCap } from '../dialer/retry-policy.js';
import {
  campaignContacts as cc,
  campaigns as campaignsTable,
  type CampaignContactRow,
  type CampaignRow,
} from './campaigns.tables.js';

/**
 * Where a contact stands in its campaign, as the campaigns screen groups them: `to_call` (the
 * dialer will still call it, now or at its retry date), `on_call`, `called` (finished: a final
 * wrap-up, its tries used up, or tried with no retry date) and `excluded`.
 */
export const contactProgressStates = ['to_call', 'on_call', 'called', 'excluded'] as const;
export type ContactProgress = (typeof contactProgressStates)[number];

const finalStatuses = sql.join(
  FINAL_WRAPUP_STATUSES.map((status) => sql`${status}`),
  sql`, `,
);

/**
 * The pick's (contact-picker.ts) conditions that do not depend on the clock: what keeps a contact
 * in the dialer's pool until it is finished. Windows, the 72-hour rule and retry dates only say
 * when, not whether.
 */
function stillToCall(cap: SQL): SQL {
  return sql`(NOT ${cc.excluded} AND ${cc.state} = 'processing_not_in_progress'
    AND (${cc.retryAt} IS NOT NULL OR ${cc.triesNumber} = 0)
    AND ${cc.triesNumber} < ${cap}
    AND (${cc.wrapupStatus} IS NULL OR ${cc.wrapupStatus} NOT IN (${finalStatuses})))`;
}

function progressCase(cap: SQL): SQL<ContactProgress> {
  return sql<ContactProgress>`CASE WHEN ${cc.excluded} THEN 'excluded'
    WHEN ${cc.state} = 'processing_in_progress' THEN 'on_call'
    WHEN ${stillToCall(cap)} THEN 'to_call' ELSE 'called' END`;
}

export function progressCondition(state: ContactProgress, cap: SQL): SQL {
  switch (state) {
    case 'excluded':
      return sql`${cc.excluded}`;
    case 'on_call':
      return sql`(NOT ${cc.excluded} AND ${cc.state} = 'processing_in_progress')`;
    case 'to_call':
      return stillToCall(cap);
    case 'called':
      return sql`(NOT ${cc.excluded} AND ${cc.state} = 'processing_not_in_progress' AND NOT ${stillToCall(cap)})`;
  }
}

export type ProgressContactRow = CampaignContactRow & { progress: ContactProgress };

/**
 * A page of a campaign's contacts, newest first (keyset on id, `beforeId` exclusive), optionally
 * in one progress state; the campaign's (campaign_id, id) index serves every state.
 */
export async function listContactsByProgress(
  db: Db,
  params: { campaign: CampaignRow; state?: ContactProgress | undefined; beforeId?: number; limit: number },
): Promise<{ rows: ProgressContactRow[]; nextCursor: number | null }> {
  const { campaign } = params;
  const cap = sql`${maxTriesCap(campaign)}::int`;
  const fetched = await db
    .select({ row: cc, progress: progressCase(cap) })
    .from(cc)
    .where(
      and(
        eq(cc.accountId, campaign.accountId),
        eq(cc.campaignId, campaign.id),
        params.state ? progressCondition(params.state, cap) : undefined,
        params.beforeId === undefined ? undefined : sql`${cc.id} < ${params.beforeId}`,
      ),
    )
    .orderBy(desc(cc.id))
    .limit(params.limit + 1);
  const rows = fetched.slice(0, params.limit).map(({ row, progress }) => ({ ...row, progress }));
  return { rows, nextCursor: fetched.length > params.limit ? (rows.at(-1)?.id ?? null) : null };
}

/** One contact of the campaign by its system id, with its progress. */
export async function findContactWithProgress(
  db: Db,
  campaign: CampaignRow,
  id: number,
): Promise<ProgressContactRow | undefined> {
  const cap = sql`${maxTriesCap(campaign)}::int`;
  const [found] = await db
    .select({ row: cc, progress: progressCase(cap) })
    .from(cc)
    .where(and(eq(cc.accountId, campaign.accountId), eq(cc.campaignId, campaign.id), eq(cc.id, id)));
  return found ? { ...found.row, progress: found.progress } : undefined;
}

export interface CampaignStats {
  campaignId: number;
  contacts: Record<ContactProgress | 'total', number>;
  /** Dials placed since midnight in the campaign's calling zone (its calendar's, or its own). */
  callsToday: number;
  timezone: string;
  /** Over the rolling 30 days, as the dialer's cap counts it: abandoned / answered by a person. */
  abandoned30d: number;
  answered30d: number;
  abandonRate30d: number;
  maxAbandonRate: number;
}

interface CountRow extends Record<string, unknown> {
  campaign_id: string | number;
  total: string | number;
  to_call: string | number;
  on_call: string | number;
  called: string | number;
  excluded: string | number;
}

interface CallRow extends Record<string, unknown> {
  campaign_id: string | number;
  timezone: string;
  calls_today: string | number;
  abandoned: string | number;
  answered: string | number;
}

/**
 * The figures of the campaigns screen for a set of the account's campaigns: two statements for
 * any number of them (the contacts by progress, and the dials of the last 30 days).
 */
export async function loadCampaignStats(
  db: Db,
  accountId: number,
  campaigns: readonly CampaignRow[],
  at: Date,
): Promise<Map<number, CampaignStats>> {
  const stats = new Map<number, CampaignStats>();
  if (campaigns.length === 0) return stats;
  const caps = sql.join(
    campaigns.map((campaign) => sql`(${campaign.id}::bigint, ${maxTriesCap(campaign)}::int)`),
    sql`, `,
  );
  const cap = sql.raw('caps.cap');
  const counts = await queryRows<CountRow>(
    db,
    sql`SELECT caps.campaign_id, count(${cc.id}) AS total,
          count(*) FILTER (WHERE ${progressCondition('to_call', cap)}) AS to_call,
          count(*) FILTER (WHERE ${progressCondition('on_call', cap)}) AS on_call,
          count(*) FILTER (WHERE ${progressCondition('called', cap)}) AS called,
          count(*) FILTER (WHERE ${progressCondition('excluded', cap)}) AS excluded
        FROM (VALUES ${caps}) AS caps(campaign_id, cap)
        LEFT JOIN ${cc} ON ${cc.campaignId} = caps.campaign_id AND ${cc.accountId} = ${accountId}
        GROUP BY caps.campaign_id`,
  );
  const calls = await loadCallFigures(db, accountId, campaigns, at);
  for (const campaign of campaigns) {
    const count = counts.find((row) => Number(row.campaign_id) === campaign.id);
    const call = calls.find((row) => Number(row.campaign_id) === campaign.id);
    const abandoned = Number(call?.abandoned ?? 0);
    const answered = Number(call?.answered ?? 0);
    stats.set(campaign.id, {
      campaignId: campaign.id,
      contacts: {
        total: Number(count?.total ?? 0),
        to_call: Number(count?.to_call ?? 0),
        on_call: Number(count?.on_call ?? 0),
        called: Number(count?.called ?? 0),
        excluded: Number(count?.excluded ?? 0),
      },
      callsToday: Number(call?.calls_today ?? 0),
      timezone: call?.timezone ?? campaign.timezone,
      abandoned30d: abandoned,
      answered30d: answered,
      abandonRate30d: answered > 0 ? abandoned / answered : 0,
      maxAbandonRate: campaign.maxAbandonRate,
    });
  }
  return stats;
}

/** The stats of the account's campaigns among `campaignIds`; other accounts' ids are left out. */
export async function loadCampaignStatsByIds(
  db: Db,
  accountId: number,
  campaignIds: readonly number[],
  at: Date,
): Promise<CampaignStats[]> {
  if (campaignIds.length === 0) return [];
  const rows = await db
    .select()
    .from(campaignsTable)
    .where(and(eq(campaignsTable.accountId, accountId), inArray(campaignsTable.id, [...campaignIds])))
    .orderBy(asc(campaignsTable.id));
  const stats = await loadCampaignStats(db, accountId, rows, at);
  return rows.flatMap((row) => {
    const found = stats.get(row.id);
    return found ? [found] : [];
  });
}

/** Calls today (in each campaign's zone) and the 30-day abandonment counts, in one statement. */
async function loadCallFigures(
  db: Db,
  accountId: number,
  campaigns: readonly CampaignRow[],
  at: Date,
): Promise<CallRow[]> {
  const ids = sql.join(
    campaigns.map((campaign) => sql`${campaign.id}::bigint`),
    sql`, `,
  );
  const atSql = sql`${at.toISOString()}::timestamptz`;
  // The dialer's cap counts the same way (dialer-stats.ts): person answers, abandoned ones included.
  return queryRows<CallRow>(
    db,
    sql`WITH zones AS (
          SELECT c.id, coalesce(cal.timezone, c.timezone) AS timezone,
                 (date_trunc('day', ${atSql} AT TIME ZONE coalesce(cal.timezone, c.timezone))
                   AT TIME ZONE coalesce(cal.timezone, c.timezone)) AS midnight
          FROM campaigns c
          LEFT JOIN dialer_calendars cal ON cal.id = c.calendar_id AND cal.account_id = c.account_id
          WHERE c.account_id = ${accountId} AND c.id IN (${ids}))
        SELECT z.id AS campaign_id, z.timezone,
          (SELECT count(*) FROM dialer_attempts a
            WHERE a.account_id = ${accountId} AND a.campaign_id = z.id
              AND a.placed_at >= z.midnight AND a.placed_at <= ${atSql}) AS calls_today,
          (SELECT count(*) FROM dialer_attempts a
            WHERE a.account_id = ${accountId} AND a.campaign_id = z.id AND a.outcome = 'abandoned'
              AND a.placed_at >= ${atSql} - make_interval(days => ${ABANDON_WINDOW_DAYS}::int)) AS abandoned,
          (SELECT count(*) FROM dialer_attempts a
            WHERE a.account_id = ${accountId} AND a.campaign_id = z.id
              AND a.outcome IN ('answered', 'abandoned')
              AND a.placed_at >= ${atSql} - make_interval(days => ${ABANDON_WINDOW_DAYS}::int)) AS answered
        FROM zones z`,
  );
}
