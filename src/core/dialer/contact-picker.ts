import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import type { WeeklyWindows } from '../campaigns/campaigns.tables.js';
import { windowOpenSql } from './calling-window.js';
import { isWindowOpen } from './campaign-rules.js';
import { FINAL_WRAPUP_STATUSES, MIN_HOURS_BETWEEN_ATTEMPTS } from './dialer-deps.js';

/** The calling rules of a campaign: its calendar's when it has one, else its own. */
export interface CallingRules {
  timezone: string;
  windows: WeeklyWindows;
  holidays: string[];
}

export interface PickRequest {
  accountId: number;
  campaignId: number;
  limit: number;
  at: Date;
  rules: CallingRules;
  /** No contact with this many tries or more is dialled (the highest max of the campaign's rules). */
  maxTriesCap: number;
  /** Agents who could take the call: contacts assigned to other agents (or groups) are left alone. */
  agentIds: number[];
  /** Re-checks one contact (preview accept) instead of choosing among all. */
  onlyContactId?: number;
}

/** A contact the dialer took, as it was before the pick (for the decision record). */
export interface PickedContact {
  id: number;
  phones: Record<string, string>;
  priority: number;
  retryAt: Date | null;
  isCallback: boolean;
  triesNumber: number;
  lastAttemptAt: Date | null;
  assignedAgentId: number | null;
  assignedGroupId: number | null;
  timezone: string;
}

interface PickedRow extends Record<string, unknown> {
  id: string | number;
  phones: Record<string, string> | string;
  priority: number;
  retry_at: Date | string | null;
  is_callback: boolean;
  tries_number: number;
  last_attempt_at: Date | string | null;
  assigned_agent_id: string | number | null;
  assigned_group_id: string | number | null;
  timezone: string;
}

export const bigintArray = (values: readonly number[]) =>
  sql`${`{${values.map((value) => Math.trunc(value)).join(',')}}`}::bigint[]`;

/**
 * Picks and locks up to `limit` callable contacts in ONE statement, in dialling order (priority,
 * then retry date, then age). Every compliance rule is a condition here, so no caller can dial a
 * contact that breaks one: not excluded, not on a call, retry date reached (a tried contact with no
 * retry date is finished), inside its own min/max calling dates, inside the calling window of its
 * calendar (or the campaign's) and not on a holiday, none of its numbers on the do-not-call list,
 * no attempt in the last 72 hours unless it asked for a callback, not finished by a final wrap-up,
 * under the tries cap, and its assigned agent or group among the agents who could take it.
 * SKIP LOCKED: two ticks racing take disjoint contacts.
 */
export async function pickContacts(tx: Db, request: PickRequest): Promise<PickedContact[]> {
  if (request.limit <= 0) return [];
  const at = request.at.toISOString();
  const cc = sql.raw('cc');
  const rules = request.rules;
  // A contact without a calendar of its own follows the campaign's rules: that answer is the same
  // for every such row, so it is asked once instead of per row (before the window opens no row
  // passes, and every row was examined to find that out).
  const campaignWindowOpen = await isWindowOpen(tx, rules, request.at);
  // Outside the campaign's window only contacts with a calendar of their own may be callable; when
  // none has one, nothing is (an indexed look-up instead of examining every contact on each tick).
  if (!campaignWindowOpen && !(await hasOwnCalendars(tx, request))) return [];
  const calendarWindowOpen = windowOpenSql({
    windows: sql`cal.weekly_windows`,
    timezone: sql`cal.timezone`,
    holidays: sql`cal.holidays`,
    at: request.at,
  });
  const windowOpen = campaignWindowOpen
    ? sql`(cal.id IS NULL OR ${calendarWindowOpen})`
    : sql`(${cc}.calendar_id IS NOT NULL AND cal.id IS NOT NULL AND ${calendarWindowOpen})`;
  const agents = bigintArray(request.agentIds);
  const rows = await queryRows<PickedRow>(
    tx,
    sql`
      SELECT ${cc}.id, ${cc}.phones, ${cc}.priority, ${cc}.retry_at, ${cc}.is_callback, ${cc}.tries_number,
             ${cc}.last_attempt_at, ${cc}.assigned_agent_id, ${cc}.assigned_group_id,
             coalesce(cal.timezone, ${rules.timezone}::text) AS timezone
      FROM campaign_contacts ${cc}
      LEFT JOIN dialer_calendars cal ON cal.id = ${cc}.calendar_id AND cal.account_id = ${cc}.account_id
      WHERE ${cc}.account_id = ${request.accountId} AND ${cc}.campaign_id = ${request.campaignId}
        ${request.onlyContactId === undefined ? sql`` : sql`AND ${cc}.id = ${request.onlyContactId}`}
        AND NOT ${cc}.excluded
        AND ${cc}.state = 'processing_not_in_progress'
        AND ((${cc}.retry_at IS NULL AND ${cc}.tries_number = 0) OR ${cc}.retry_at <= ${at}::timestamptz)
        AND ${cc}.tries_number < ${request.maxTriesCap}
        AND (${cc}.wrapup_status IS NULL OR ${cc}.wrapup_status NOT IN (${sql.join(
          FINAL_WRAPUP_STATUSES.map((status) => sql`${status}`),
          sql`, `,
        )}))
        AND (${cc}.min_calling_at IS NULL OR ${cc}.min_calling_at <= ${at}::timestamptz)
        AND (${cc}.max_calling_at IS NULL OR ${cc}.max_calling_at > ${at}::timestamptz)
        AND (${cc}.is_callback OR ${cc}.last_attempt_at IS NULL
             OR ${cc}.last_attempt_at <= ${at}::timestamptz - make_interval(hours => ${MIN_HOURS_BETWEEN_ATTEMPTS}::int))
        AND cardinality(${cc}.phone_numbers) > 0
        -- phone_numbers holds the digits of every phone (kept by the contact writers): one
        -- primary-key probe per number (= ANY is an index condition; a join to unnest() was
        -- planned as a scan of the whole list per contact).
        -- OFFSET 0 keeps it a probe per candidate: pulled up into an anti-join, the planner read
        -- every contact of the campaign before the LIMIT could stop it.
        AND NOT EXISTS (
          SELECT 1 FROM do_not_call_numbers dnc
          WHERE dnc.account_id = ${cc}.account_id AND dnc.phone_number = ANY(${cc}.phone_numbers)
          OFFSET 0)
        AND (${cc}.assigned_agent_id IS NULL OR ${cc}.assigned_agent_expires_at <= ${at}::timestamptz
             OR ${cc}.assigned_agent_id = ANY(${agents}))
        AND (${cc}.assigned_group_id IS NULL OR ${cc}.assigned_group_expires_at <= ${at}::timestamptz
             OR EXISTS (SELECT 1 FROM team_members tm
                        WHERE tm.account_id = ${cc}.account_id AND tm.team_id = ${cc}.assigned_group_id
                          AND tm.user_id = ANY(${agents})))
        AND ${windowOpen}
      -- The order of campaign_contacts_dialable_idx (NULLS LAST included), so the scan stops at LIMIT.
      ORDER BY ${cc}.priority DESC NULLS LAST, ${cc}.retry_at, ${cc}.id
      LIMIT ${request.limit}
      FOR UPDATE OF ${cc} SKIP LOCKED`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    phones: typeof row.phones === 'string' ? (JSON.parse(row.phones) as Record<string, string>) : row.phones,
    priority: row.priority,
    retryAt: dateOrNull(row.retry_at),
    isCallback: row.is_callback,
    triesNumber: row.tries_number,
    lastAttemptAt: dateOrNull(row.last_attempt_at),
    assignedAgentId: row.assigned_agent_id === null ? null : Number(row.assigned_agent_id),
    assignedGroupId: row.assigned_group_id === null ? null : Number(row.assigned_group_id),
    timezone: row.timezone,
  }));
}

async function hasOwnCalendars(tx: Db, request: PickRequest): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(
    tx,
    sql`SELECT EXISTS (SELECT 1 FROM campaign_contacts
                       WHERE account_id = ${request.accountId} AND campaign_id = ${request.campaignId}
                         AND calendar_id IS NOT NULL) AS found`,
  );
  return row?.found === true;
}

export function dateOrNull(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value);
}

/**
 * The number to dial and its field: the campaign's phone fields in order, rotating one field per
 * try so that a contact unreachable on one number is tried on the next; digits only.
 */
export function choosePhone(
  phones: Record<string, string>,
  phoneFields: readonly string[],
  triesBefore: number,
): { phoneName: string; phoneNumber: string } | undefined {
  const ordered = [...phoneFields, ...Object.keys(phones).filter((name) => !phoneFields.includes(name))];
  const usable = ordered
    .map((name) => ({ phoneName: name, phoneNumber: (phones[name] ?? '').replace(/\D/g, '') }))
    .filter((phone) => phone.phoneNumber !== '');
  if (usable.length === 0) return undefined;
  return usable[triesBefore % usable.length];
}
