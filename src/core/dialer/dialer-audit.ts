import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import {
  dialerAgents,
  dialerAttempts,
  dialerDecisions,
  type DialerAgentRow,
  type DialerAttemptRow,
  type DialerDecisionRow,
} from './dialer.tables.js';

export interface AuditPageRequest {
  accountId: number;
  campaignId: number;
  afterId?: number | undefined;
  limit: number;
  campaignContactId?: number | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}

function pageOf<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** A campaign's attempts in order (keyset on id), optionally for one contact. */
export async function listAttempts(db: Db, request: AuditPageRequest): Promise<Page<DialerAttemptRow>> {
  const conditions: (SQL | undefined)[] = [
    eq(dialerAttempts.accountId, request.accountId),
    eq(dialerAttempts.campaignId, request.campaignId),
    request.afterId === undefined ? undefined : gt(dialerAttempts.id, request.afterId),
    request.campaignContactId === undefined
      ? undefined
      : eq(dialerAttempts.campaignContactId, request.campaignContactId),
  ];
  const rows = await db
    .select()
    .from(dialerAttempts)
    .where(and(...conditions))
    .orderBy(asc(dialerAttempts.id))
    .limit(request.limit + 1);
  return pageOf(rows, request.limit);
}

/** A campaign's decisions in order (keyset on id), optionally for one contact or of one kind. */
export async function listDecisions(
  db: Db,
  request: AuditPageRequest & { kind?: string | undefined },
): Promise<Page<DialerDecisionRow>> {
  const conditions: (SQL | undefined)[] = [
    eq(dialerDecisions.accountId, request.accountId),
    eq(dialerDecisions.campaignId, request.campaignId),
    request.afterId === undefined ? undefined : gt(dialerDecisions.id, request.afterId),
    request.campaignContactId === undefined
      ? undefined
      : eq(dialerDecisions.campaignContactId, request.campaignContactId),
    request.kind === undefined ? undefined : eq(dialerDecisions.kind, request.kind),
  ];
  const rows = await db
    .select()
    .from(dialerDecisions)
    .where(and(...conditions))
    .orderBy(asc(dialerDecisions.id))
    .limit(request.limit + 1);
  return pageOf(rows, request.limit);
}

/** The agents logged into a campaign and their states. */
export async function listCampaignAgents(
  db: Db,
  accountId: number,
  campaignId: number,
): Promise<DialerAgentRow[]> {
  return db
    .select()
    .from(dialerAgents)
    .where(and(eq(dialerAgents.accountId, accountId), eq(dialerAgents.campaignId, campaignId)))
    .orderBy(asc(dialerAgents.userId));
}

export async function loadAttempt(
  db: Db,
  accountId: number,
  attemptId: number,
): Promise<DialerAttemptRow | undefined> {
  const [row] = await db
    .select()
    .from(dialerAttempts)
    .where(and(eq(dialerAttempts.accountId, accountId), eq(dialerAttempts.id, attemptId)));
  return row;
}
