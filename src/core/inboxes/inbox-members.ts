import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import {
  assertAccountMembers,
  planMembershipChange,
  type MembershipChange,
} from '../identity/membership-change.js';
import { inboxMembers } from './inboxes.tables.js';
import { inboxMembersChanged } from './inboxes.events.js';
import { getInbox, listInboxMemberIds } from './inboxes.js';

/** Adds, removes or replaces an inbox's agents in one transaction; returns the resulting member ids. */
export async function changeInboxMembers(
  db: Db,
  input: { accountId: number; inboxId: number; userIds: number[]; change: MembershipChange },
  actor: Actor,
): Promise<number[]> {
  const { accountId, inboxId, userIds, change } = input;
  await getInbox(db, accountId, inboxId);
  if (change !== 'remove') await assertAccountMembers(db, accountId, userIds);
  return db.transaction(async (tx) => {
    const current = await listInboxMemberIds(tx, accountId, inboxId);
    const { added, removed } = planMembershipChange(current, userIds, change);
    if (added.length > 0) {
      await tx
        .insert(inboxMembers)
        .values(added.map((userId) => ({ accountId, inboxId, userId })))
        .onConflictDoNothing();
    }
    if (removed.length > 0) {
      await tx
        .delete(inboxMembers)
        .where(
          and(
            eq(inboxMembers.accountId, accountId),
            eq(inboxMembers.inboxId, inboxId),
            inArray(inboxMembers.userId, removed),
          ),
        );
    }
    const after = await listInboxMemberIds(tx, accountId, inboxId);
    if (added.length > 0 || removed.length > 0) {
      await recordEvent(tx, inboxMembersChanged, {
        accountId,
        aggregateId: inboxId,
        payload: { inboxId, addedUserIds: added, removedUserIds: removed, userIds: after },
        actor,
      });
    }
    return after;
  });
}
