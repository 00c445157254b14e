import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { inboxMembers } from '../inboxes/inboxes.tables.js';
import { teamMembers, teams } from '../teams/teams.tables.js';
import type { ConversationRow } from './conversations.tables.js';
import { lockConversation, recordConversationChanges, writeConversation } from './conversations.js';
import { actorName, addActivityMessage } from './activity-messages.js';
import { pickAutoAssignee } from './auto-assignment.js';

const invalid = (path: string, message: string) =>
  new DomainError('VALIDATION_FAILED', message, [{ path, message }]);

async function userName(tx: Db, userId: number): Promise<string> {
  const [user] = await tx
    .select({ name: users.name, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, userId));
  return user ? (user.displayName ?? user.name) : `#${userId}`;
}

/** An assignee must be an agent of the account AND answer the conversation's inbox. */
async function assertAssignable(tx: Db, conversation: ConversationRow, userId: number): Promise<void> {
  const [member] = await tx
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, conversation.accountId), eq(accountUsers.userId, userId)));
  if (!member) throw invalid('assignee_id', 'The assignee is not an agent of this account');
  const [inboxMember] = await tx
    .select({ userId: inboxMembers.userId })
    .from(inboxMembers)
    .where(
      and(
        eq(inboxMembers.accountId, conversation.accountId),
        eq(inboxMembers.inboxId, conversation.inboxId),
        eq(inboxMembers.userId, userId),
      ),
    );
  if (!inboxMember) throw invalid('assignee_id', "The assignee is not a member of the conversation's inbox");
}

export interface AssignConversationInput {
  accountId: number;
  conversationId: number;
  /** null unassigns; undefined leaves the agent alone and looks at `teamId`. */
  assigneeId?: number | null | undefined;
  /** Ignored when `assigneeId` is given, as in Chatwoot. */
  teamId?: number | null | undefined;
  actor: Actor;
}

/**
 * Assigns a conversation to an agent or a team. Assigning a team that allows auto-assignment
 * picks one of its members who answers the inbox when the current agent is not in the team.
 */
export async function assignConversation(tx: Db, input: AssignConversationInput): Promise<ConversationRow> {
  const before = await lockConversation(tx, input.accountId, input.conversationId);
  const by = await actorName(tx, input.accountId, input.actor);
  if (input.assigneeId !== undefined) {
    if (input.assigneeId !== null) await assertAssignable(tx, before, input.assigneeId);
    const after = await writeConversation(tx, before, { assigneeId: input.assigneeId });
    if (await recordConversationChanges(tx, before, after, ['assigneeId'], input.actor)) {
      if (by)
        await addActivityMessage(tx, after, await assigneeActivity(tx, after, input.actor, by), input.actor);
    }
    return after;
  }
  if (input.teamId === undefined) return before;
  if (input.teamId === null) {
    const after = await writeConversation(tx, before, { teamId: null });
    if (
      (await recordConversationChanges(tx, before, after, ['teamId'], input.actor)) &&
      by &&
      before.teamId
    ) {
      const [team] = await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, before.teamId));
      await addActivityMessage(tx, after, `Unassigned from ${team?.name ?? 'team'} by ${by}`, input.actor);
    }
    return after;
  }
  const [team] = await tx
    .select()
    .from(teams)
    .where(and(eq(teams.accountId, input.accountId), eq(teams.id, input.teamId)));
  if (!team) throw invalid('team_id', 'The team does not exist in this account');
  const memberIds = (
    await tx
      .select({ userId: teamMembers.userId })
      .from(teamMembers)
      .where(and(eq(teamMembers.accountId, input.accountId), eq(teamMembers.teamId, team.id)))
  ).map((row) => row.userId);
  const isAssigneeInTeam = before.assigneeId !== null && memberIds.includes(before.assigneeId);
  const assigneeId =
    team.allowAutoAssign && !isAssigneeInTeam
      ? ((await pickAutoAssignee(tx, {
          accountId: input.accountId,
          inboxId: before.inboxId,
          amongUserIds: memberIds,
        })) ?? before.assigneeId)
      : before.assigneeId;
  const after = await writeConversation(tx, before, { teamId: team.id, assigneeId });
  if ((await recordConversationChanges(tx, before, after, ['teamId', 'assigneeId'], input.actor)) && by) {
    const content =
      assigneeId !== before.assigneeId && assigneeId !== null
        ? `Assigned to ${await userName(tx, assigneeId)} via ${team.name} by ${by}`
        : `Assigned to ${team.name} by ${by}`;
    await addActivityMessage(tx, after, content, input.actor);
  }
  return after;
}

async function assigneeActivity(tx: Db, after: ConversationRow, actor: Actor, by: string): Promise<string> {
  if (after.assigneeId === null) return `Conversation unassigned by ${by}`;
  if (actor.type === 'user' && actor.id === after.assigneeId) return `${by} self-assigned this conversation`;
  return `Assigned to ${await userName(tx, after.assigneeId)} by ${by}`;
}
