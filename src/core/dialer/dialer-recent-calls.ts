import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { users } from '../identity/identity.tables.js';
import { campaignContacts, wrapupCodes } from '../campaigns/campaigns.tables.js';
import {
  dialerAttempts,
  dialerDecisions,
  type DialerAttemptRow,
  type DialerDecisionRow,
} from './dialer.tables.js';

/** A dial with what a supervisor reads beside it: the contact, the agent, the code and the decisions. */
export interface RecentCall {
  attempt: DialerAttemptRow;
  contactNumber: number | null;
  agentName: string | null;
  wrapupName: string | null;
  /** The decisions about this dial in order: why it was placed (dial), then connect, retry, wrap-up… */
  decisions: DialerDecisionRow[];
}

/**
 * A campaign's dials, newest first: keyset on (placed_at, id) through the campaign's placed_at
 * index, the cursor being the last attempt's id. Two statements a page: the attempts with their
 * relations, and their decisions (found through the contacts' index, then matched by attempt).
 */
export async function listRecentCalls(
  db: Db,
  params: { accountId: number; campaignId: number; beforeId?: number | undefined; limit: number },
): Promise<{ items: RecentCall[]; nextCursor: number | null }> {
  const { accountId, campaignId } = params;
  const after =
    params.beforeId === undefined
      ? undefined
      : sql`(${dialerAttempts.placedAt}, ${dialerAttempts.id}) < (
          SELECT placed_at, id FROM dialer_attempts
          WHERE id = ${params.beforeId} AND account_id = ${accountId} AND campaign_id = ${campaignId})`;
  const fetched = await db
    .select({
      attempt: dialerAttempts,
      contactNumber: campaignContacts.contactNumber,
      agentName: users.name,
      wrapupName: wrapupCodes.name,
    })
    .from(dialerAttempts)
    .leftJoin(campaignContacts, eq(campaignContacts.id, dialerAttempts.campaignContactId))
    .leftJoin(users, eq(users.id, dialerAttempts.agentId))
    .leftJoin(wrapupCodes, eq(wrapupCodes.id, dialerAttempts.wrapupId))
    .where(and(eq(dialerAttempts.accountId, accountId), eq(dialerAttempts.campaignId, campaignId), after))
    .orderBy(desc(dialerAttempts.placedAt), desc(dialerAttempts.id))
    .limit(params.limit + 1);
  const page = fetched.slice(0, params.limit);
  const byAttempt = await decisionsOf(
    db,
    accountId,
    campaignId,
    page.map((row) => row.attempt),
  );
  return {
    items: page.map((row) => ({ ...row, decisions: byAttempt.get(row.attempt.id) ?? [] })),
    nextCursor: fetched.length > params.limit ? (page.at(-1)?.attempt.id ?? null) : null,
  };
}

async function decisionsOf(
  db: Db,
  accountId: number,
  campaignId: number,
  attempts: readonly DialerAttemptRow[],
): Promise<Map<number, DialerDecisionRow[]>> {
  const byAttempt = new Map<number, DialerDecisionRow[]>();
  const contactIds = [
    ...new Set(attempts.flatMap((row) => (row.campaignContactId === null ? [] : [row.campaignContactId]))),
  ];
  if (contactIds.length === 0) return byAttempt;
  const rows = await db
    .select()
    .from(dialerDecisions)
    .where(
      and(
        eq(dialerDecisions.accountId, accountId),
        eq(dialerDecisions.campaignId, campaignId),
        inArray(dialerDecisions.campaignContactId, contactIds),
        inArray(
          dialerDecisions.attemptId,
          attempts.map((row) => row.id),
        ),
      ),
    )
    .orderBy(asc(dialerDecisions.decidedAt), asc(dialerDecisions.id));
  for (const row of rows) {
    if (row.attemptId === null) continue;
    const list = byAttempt.get(row.attemptId) ?? [];
    list.push(row);
    byAttempt.set(row.attemptId, list);
  }
  return byAttempt;
}
