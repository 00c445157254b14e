import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import type { ConversationRow } from '../conversations/conversations.tables.js';
import { recordConversationChanges, writeConversation } from '../conversations/conversations.js';
import { actorName, addActivityMessage } from '../conversations/activity-messages.js';
import { loadUserSummaries } from '../conversations/conversation-snapshots.js';

/**
 * Sets (or clears) the assignee with the conversation core's own writers, so conversation.updated
 * carries `changes.assignee_id` like any assignment. Routing answers to queue membership rather than
 * inbox membership, which is why it does not go through assignConversation's inbox check.
 */
export async function setAssignee(
  tx: Db,
  before: ConversationRow,
  assigneeId: number | null,
  actor: Actor,
): Promise<ConversationRow> {
  if (before.assigneeId === assigneeId) return before;
  const after = await writeConversation(tx, before, { assigneeId });
  await recordConversationChanges(tx, before, after, ['assigneeId'], actor);
  const by = await actorName(tx, before.accountId, actor);
  if (by) await addActivityMessage(tx, after, await activityLine(tx, after, actor, by), actor);
  return after;
}

async function activityLine(tx: Db, after: ConversationRow, actor: Actor, by: string): Promise<string> {
  if (after.assigneeId === null) return `Conversation unassigned by ${by}`;
  if (actor.type === 'user' && actor.id === after.assigneeId) return `${by} claimed this conversation`;
  const assignee = (await loadUserSummaries(tx, after.accountId, [after.assigneeId])).get(after.assigneeId);
  return `Assigned to ${assignee ? (assignee.displayName ?? assignee.name) : 'an agent'} by ${by}`;
}
