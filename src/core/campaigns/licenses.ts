import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { accounts } from '../identity/identity.tables.js';

/**
 * Licences billed per user, as Diabolocom's billing reports them, computed from the presence
 * history (agent_presence_changes: one row per availability change, written by a trigger):
 * - "Peak Users": the most members logged in (online or busy) at the same instant in the month,
 *   the first instant it was reached and who they were;
 * - "Connected users": everyone logged in at some moment of the month.
 * A member already logged in when the month starts counts from its first instant, carried over
 * from their last change before it.
 */

export const licenseModels = ['Peak Users', 'Connected users'] as const;
export type LicenseModel = (typeof licenseModels)[number];
/** The model an account is billed on unless its `licenseModel` setting names the other. */
export const DEFAULT_LICENSE_MODEL: LicenseModel = 'Connected users';

export interface LicenseModelUsage {
  model: LicenseModel;
  count: number;
  /** Logins (emails), sorted. */
  users: string[];
  /** Only for "Peak Users", and only when someone was logged in. */
  peakDateTime?: Date;
}

export interface BilledLicenses {
  month: string;
  licenseModelBilled: LicenseModel;
  currentAccountLicenseModel: LicenseModel;
  details: LicenseModelUsage[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The UTC bounds [start, end) of a `YYYY-MM` month, or null when it is not one. */
export function billingMonthBounds(month: string): { start: Date; end: Date } | null {
  const match = MONTH.exec(month);
  if (!match) return null;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return { start: new Date(Date.UTC(year, index, 1)), end: new Date(Date.UTC(year, index + 1, 1)) };
}

interface UsageRow extends Record<string, unknown> {
  model: 'peak' | 'connected';
  peak_at: Date | string | null;
  login: string;
}

/**
 * One query: the carried-over state and the month's changes, a flag per change (logged in after
 * it, and before it by LAG per member), the net change per instant, a running SUM over instants
 * (the number logged in), its first maximum, and who was logged in then.
 */
function usageQuery(accountId: number, start: Date, end: Date) {
  return sql`
    WITH carried AS (
      -- Qualified: the bare names would sort by this select's own constant "at" and "id".
      SELECT DISTINCT ON (c.user_id) c.user_id, ${start.toISOString()}::timestamptz AS at, 0::bigint AS id,
        c.availability
      FROM agent_presence_changes c
      WHERE c.account_id = ${accountId} AND c.at < ${start.toISOString()}::timestamptz
      ORDER BY c.user_id, c.at DESC, c.id DESC
    ),
    changes AS (
      SELECT user_id, at, id, availability FROM carried
      UNION ALL
      SELECT user_id, at, id, availability FROM agent_presence_changes
      WHERE account_id = ${accountId}
        AND at >= ${start.toISOString()}::timestamptz AND at < ${end.toISOString()}::timestamptz
    ),
    flagged AS (
      SELECT user_id, at, id, availability <> 'offline' AS is_on,
        coalesce(lag(availability <> 'offline') OVER (PARTITION BY user_id ORDER BY at, id), false) AS was_on
      FROM changes
    ),
    deltas AS (
      SELECT at, sum(CASE WHEN is_on AND NOT was_on THEN 1 WHEN was_on AND NOT is_on THEN -1 ELSE 0 END) AS delta
      FROM flagged GROUP BY at
    ),
    running AS (SELECT at, sum(delta) OVER (ORDER BY at) AS logged_in FROM deltas),
    peak AS (SELECT at FROM running WHERE logged_in > 0 ORDER BY logged_in DESC, at LIMIT 1),
    at_peak AS (
      SELECT DISTINCT ON (f.user_id) f.user_id, f.is_on
      FROM flagged f, peak
      WHERE f.at <= peak.at
      ORDER BY f.user_id, f.at DESC, f.id DESC
    ),
    billed AS (
      SELECT 'peak' AS model, (SELECT at FROM peak) AS peak_at, user_id FROM at_peak WHERE is_on
      UNION ALL
      SELECT DISTINCT 'connected', NULL::timestamptz, user_id FROM flagged WHERE is_on
    )
    SELECT billed.model, billed.peak_at, coalesce(users.email, 'user-' || billed.user_id) AS login
    FROM billed LEFT JOIN users ON users.id = billed.user_id
  `;
}

export async function billedLicenses(db: Db, accountId: number, month: string): Promise<BilledLicenses> {
  const bounds = billingMonthBounds(month);
  if (!bounds) throw new RangeError(`not a YYYY-MM month: ${month}`);
  const [rows, model] = await Promise.all([
    queryRows<UsageRow>(db, usageQuery(accountId, bounds.start, bounds.end)),
    accountLicenseModel(db, accountId),
  ]);
  const loginsOf = (kind: UsageRow['model']) =>
    rows
      .filter((row) => row.model === kind)
      .map((row) => row.login)
      .sort();
  const peakUsers = loginsOf('peak');
  const peakAt = rows.find((row) => row.model === 'peak')?.peak_at;
  const connectedUsers = loginsOf('connected');
  return {
    month,
    // No history of the setting is kept: a month is billed on the model set now.
    licenseModelBilled: model,
    currentAccountLicenseModel: model,
    details: [
      {
        model: 'Peak Users',
        count: peakUsers.length,
        users: peakUsers,
        ...(peakAt && { peakDateTime: new Date(peakAt) }),
      },
      { model: 'Connected users', count: connectedUsers.length, users: connectedUsers },
    ],
  };
}

/** Account setting `licenseModel` ("Peak Users" or "Connected users"). */
async function accountLicenseModel(db: Db, accountId: number): Promise<LicenseModel> {
  const [row] = await db
    .select({ settings: accounts.settings })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  const value = row?.settings['licenseModel'];
  return licenseModels.find((candidate) => candidate === value) ?? DEFAULT_LICENSE_MODEL;
}
