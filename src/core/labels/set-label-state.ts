import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { labels, type LabelRow, type LabelState } from './labels.tables.js';

/**
 * Activates or deactivates a tag. An inactive tag stays on the conversations that carry it (it can
 * still be removed from them) but can no longer be added to one. Setting the current state again
 * is a no-op, so clients can retry.
 */
export async function setLabelState(
  tx: Db,
  input: { accountId: number; uuid: string; state: LabelState },
): Promise<LabelRow> {
  const [row] = await tx
    .update(labels)
    .set({
      state: input.state,
      updatedAt: sql`CASE WHEN ${labels.state} = ${input.state} THEN ${labels.updatedAt} ELSE now() END`,
    })
    .where(and(eq(labels.accountId, input.accountId), eq(labels.uuid, input.uuid)))
    .returning();
  if (!row) throw notFound('Tag');
  return row;
}
