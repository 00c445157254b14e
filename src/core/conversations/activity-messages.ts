import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { apiKeys, users } from '../identity/identity.tables.js';
import type { ConversationRow } from './conversations.tables.js';
import { createMessage } from './create-message.js';

/** The name Chatwoot puts in activity lines ("… by Jane"); null for system work, which writes none. */
export async function actorName(tx: Db, accountId: number, actor: Actor): Promise<string | null> {
  // Chatwoot credits a rule's changes to "Automation System" in the activity lines it writes.
  if (actor.type === 'system' && typeof actor.id === 'string' && actor.id.startsWith('automation_rule:')) {
    return 'Automation System';
  }
  if (typeof actor.id !== 'number') return null;
  if (actor.type === 'user') {
    const [user] = await tx
      .select({ name: users.name, displayName: users.displayName })
      .from(users)
      .where(eq(users.id, actor.id));
    return user ? (user.displayName ?? user.name) : null;
  }
  if (actor.type === 'agent_bot') {
    const [bot] = await tx.select({ name: agentBots.name }).from(agentBots).where(eq(agentBots.id, actor.id));
    return bot?.name ?? null;
  }
  if (actor.type === 'api_key') {
    const [key] = await tx
      .select({ name: apiKeys.name })
      .from(apiKeys)
      .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, actor.id)));
    return key?.name ?? null;
  }
  return null;
}

/** Adds an activity line to the conversation's history, as Chatwoot shows assignments and status changes. */
export async function addActivityMessage(
  tx: Db,
  conversation: ConversationRow,
  content: string,
  actor: Actor,
): Promise<void> {
  await createMessage(tx, {
    accountId: conversation.accountId,
    conversationId: conversation.id,
    messageType: 'activity',
    content,
    sender: null,
    actor,
  });
}
