import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { dialerDecisions } from './dialer.tables.js';

/** The kinds of decision the audit trail holds. */
export type DecisionKind =
  | 'dial'
  | 'pace'
  | 'throttle'
  | 'skip'
  | 'connect'
  | 'abandon'
  | 'retry'
  | 'wrapup'
  | 'reconcile'
  | 'preview';

export interface DecisionInput {
  accountId: number;
  campaignId: number;
  campaignContactId?: number | null;
  attemptId?: number | null;
  decidedAt: Date;
  kind: DecisionKind;
  reason: string;
  details?: Record<string, unknown>;
}

/** Appends decisions in one statement. */
export async function recordDecisions(db: Db, decisions: readonly DecisionInput[]): Promise<void> {
  if (decisions.length === 0) return;
  await db.insert(dialerDecisions).values(
    decisions.map((decision) => ({
      accountId: decision.accountId,
      campaignId: decision.campaignId,
      campaignContactId: decision.campaignContactId ?? null,
      attemptId: decision.attemptId ?? null,
      decidedAt: decision.decidedAt,
      kind: decision.kind,
      reason: decision.reason,
      details: decision.details ?? {},
    })),
  );
}

/** A tick that decides "nothing to dial" every second would flood the trail: the same no-dial reason is kept once a minute. */
const REPEAT_NO_DIAL_AFTER_MS = 60_000;

/** Records a no-dial decision (throttle, skip) unless the campaign's last decision said the same within a minute. */
export async function recordNoDialDecision(db: Db, decision: DecisionInput): Promise<void> {
  const [last] = await db
    .select({
      kind: dialerDecisions.kind,
      reason: dialerDecisions.reason,
      decidedAt: dialerDecisions.decidedAt,
    })
    .from(dialerDecisions)
    .where(
      and(
        eq(dialerDecisions.accountId, decision.accountId),
        eq(dialerDecisions.campaignId, decision.campaignId),
      ),
    )
    .orderBy(desc(dialerDecisions.decidedAt), desc(dialerDecisions.id))
    .limit(1);
  const isRepeat =
    last !== undefined &&
    last.kind === decision.kind &&
    last.reason === decision.reason &&
    decision.decidedAt.getTime() - last.decidedAt.getTime() < REPEAT_NO_DIAL_AFTER_MS;
  if (!isRepeat) await recordDecisions(db, [decision]);
}
