import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { getLabelByUuid } from './labels.js';
import { labelEventPayload, labelUpdated } from './labels.events.js';
import { labels, type LabelRow, type LabelState } from './labels.tables.js';

/**
 * Activates or deactivates a tag. An inactive tag stays on the conversations that carry it (it can
 * still be removed from them) but can no longer be added to one. Setting the current state again
 * is a no-op, so clients can retry.
 */
export async function setLabelState(
  tx: Db,
  input: { accountId: number; uuid: string; state: LabelState; actor: Actor | undefined },
): Promise<LabelRow> {
  const [changed] = await tx
    .update(labels)
    .set({ state: input.state, updatedAt: sql`now()` })
    .where(
      and(eq(labels.accountId, input.accountId), eq(labels.uuid, input.uuid), ne(labels.state, input.state)),
    )
    .returning();
  if (!changed) return getLabelByUuid(tx, input.accountId, input.uuid);
  await recordEvent(tx, labelUpdated, {
    accountId: changed.accountId,
    aggregateId: changed.id,
    payload: labelEventPayload(changed),
    actor: input.actor,
  });
  return changed;
}
