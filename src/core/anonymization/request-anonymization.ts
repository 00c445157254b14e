import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { enqueue } from '../../platform/jobs/index.js';
import { anonymizationPayload, anonymizationRequested } from './anonymization.events.js';
import { anonymizeEntityJob } from './anonymization.jobs.js';
import { anonymizationRequests, type AnonymizationRequestRow } from './anonymization.tables.js';
import {
  countUnclosed,
  resolveTarget,
  type AnonymizationEntity,
  type ResolvedTarget,
} from './anonymization-targets.js';
import { requesterUuid } from './requester.js';

export interface RequestAnonymizationInput {
  accountId: number;
  entity: AnonymizationEntity;
  /** Close the conversations still open instead of refusing (Dixa's `force`). */
  isForced: boolean;
  actor: Actor;
}

async function findRequestForTarget(
  db: Db,
  accountId: number,
  target: ResolvedTarget,
): Promise<AnonymizationRequestRow | null> {
  const [row] = await db
    .select()
    .from(anonymizationRequests)
    .where(
      and(
        eq(anonymizationRequests.accountId, accountId),
        eq(anonymizationRequests.entityType, target.entityType),
        eq(anonymizationRequests.targetId, target.targetId),
      ),
    );
  return row ?? null;
}

/**
 * Records the request and enqueues the job that carries it out, in one transaction. An entity
 * asked for twice gets the first request back: the erasure happens once and is reported once.
 */
export async function requestAnonymization(
  db: Db,
  input: RequestAnonymizationInput,
): Promise<AnonymizationRequestRow> {
  const target = await resolveTarget(db, input.accountId, input.entity);
  const existing = await findRequestForTarget(db, input.accountId, target);
  if (existing) return existing;
  if (!input.isForced && (await countUnclosed(db, input.accountId, target)) > 0) {
    throw new DomainError(
      'INVALID_STATE',
      'The conversation is not closed: close it first, or pass force=true to close it while anonymizing',
    );
  }
  const requestedBy = await requesterUuid(db, input.accountId, input.actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(anonymizationRequests)
      .values({ accountId: input.accountId, ...target, requestedBy, isForced: input.isForced })
      .onConflictDoNothing()
      .returning();
    // A concurrent request for the same entity won the insert: answer with that one.
    if (!row) {
      const winner = await findRequestForTarget(tx, input.accountId, target);
      if (!winner) throw notFound('Anonymization request');
      return winner;
    }
    await enqueue(
      tx,
      anonymizeEntityJob,
      { accountId: row.accountId, requestId: row.id },
      { accountId: row.accountId },
    );
    await recordEvent(tx, anonymizationRequested, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: anonymizationPayload(row),
      actor: input.actor,
    });
    return row;
  });
}

export async function findAnonymizationRequest(
  db: Db,
  accountId: number,
  requestId: string,
): Promise<AnonymizationRequestRow | null> {
  const [row] = await db
    .select()
    .from(anonymizationRequests)
    .where(and(eq(anonymizationRequests.accountId, accountId), eq(anonymizationRequests.id, requestId)));
  return row ?? null;
}

export async function getAnonymizationRequest(
  db: Db,
  accountId: number,
  requestId: string,
): Promise<AnonymizationRequestRow> {
  const row = await findAnonymizationRequest(db, accountId, requestId);
  if (!row) throw notFound('Anonymization request');
  return row;
}
