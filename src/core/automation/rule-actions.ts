import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import {
  assignConversation,
  lockConversation,
  setConversationLabels,
  setConversationPriority,
  toggleConversationStatus,
} from '../conversations/index.js';
import { recordConversationChanges, writeConversation } from '../conversations/conversations.js';
import {
  messages,
  type ConversationPriority,
  type ConversationStatus,
} from '../conversations/conversations.tables.js';
import type { AutomationRuleRow } from './automation.tables.js';
import { automationActor } from './automation-actor.js';
import type { RuleAction } from './rule-definition.js';
import { sendAttachment, sendMessage, sendWebhookEvent } from './rule-message-actions.js';
import { sendEmailToTeam, sendEmailTranscript } from './rule-mail-actions.js';

export interface ActionContext {
  rule: AutomationRuleRow;
  /** The conversation's internal id. */
  conversationId: number;
  action: RuleAction;
}

export interface ActionScope {
  rule: AutomationRuleRow;
  accountId: number;
  conversationId: number;
  actor: Actor;
}

async function setStatus(tx: Db, scope: ActionScope, status: ConversationStatus): Promise<void> {
  await toggleConversationStatus(tx, { ...scope, status, snoozedUntil: null });
}

async function changeLabels(tx: Db, scope: ActionScope, names: string[], isAdding: boolean): Promise<void> {
  const before = await lockConversation(tx, scope.accountId, scope.conversationId);
  const lowered = new Set(names.map((name) => name.toLowerCase()));
  const labels = isAdding
    ? [
        ...before.labels,
        ...names.filter((name) => !before.labels.some((label) => label.toLowerCase() === name.toLowerCase())),
      ]
    : before.labels.filter((label) => !lowered.has(label.toLowerCase()));
  if (
    labels.length === before.labels.length &&
    labels.every((label, index) => label === before.labels[index])
  )
    return;
  await setConversationLabels(tx, { ...scope, labels });
}

async function lastRespondingAgent(tx: Db, scope: ActionScope): Promise<number | null> {
  const [row] = await tx
    .select({ senderId: messages.senderId })
    .from(messages)
    .where(
      and(
        eq(messages.accountId, scope.accountId),
        eq(messages.conversationId, scope.conversationId),
        eq(messages.messageType, 'outgoing'),
        eq(messages.senderType, 'user'),
        eq(messages.isPrivate, false),
      ),
    )
    .orderBy(desc(messages.id))
    .limit(1);
  return row?.senderId ?? null;
}

async function assignAgent(tx: Db, scope: ActionScope, param: string | undefined): Promise<void> {
  if (param === 'nil') {
    await assignConversation(tx, { ...scope, assigneeId: null });
    return;
  }
  const assigneeId = param === 'last_responding_agent' ? await lastRespondingAgent(tx, scope) : Number(param);
  if (assigneeId === null || !Number.isSafeInteger(assigneeId)) return;
  await assignConversation(tx, { ...scope, assigneeId });
}

/** Chatwoot's mute!: resolved, and new messages from the contact no longer notify anyone. */
async function mute(tx: Db, scope: ActionScope): Promise<void> {
  const before = await lockConversation(tx, scope.accountId, scope.conversationId);
  if (!before.muted) {
    const after = await writeConversation(tx, before, { muted: true });
    await recordConversationChanges(tx, before, after, ['muted'], scope.actor);
  }
  await setStatus(tx, scope, 'resolved');
}

/** Performs one action with the rule as the actor, through the same use-cases agents go through. */
export async function performAction(tx: Db, context: ActionContext): Promise<void> {
  const { rule, action } = context;
  const scope: ActionScope = {
    rule,
    accountId: rule.accountId,
    conversationId: context.conversationId,
    actor: automationActor(rule.id),
  };
  const [first] = action.params;
  switch (action.name) {
    case 'send_message':
      return sendMessage(tx, scope, first ?? '', false);
    case 'add_private_note':
      return sendMessage(tx, scope, first ?? '', true);
    case 'send_attachment':
      return sendAttachment(tx, scope, action.params);
    case 'send_webhook_event':
      return first === undefined ? undefined : sendWebhookEvent(tx, scope, first);
    case 'add_label':
    case 'remove_label':
      return changeLabels(tx, scope, action.params, action.name === 'add_label');
    case 'assign_agent':
      return assignAgent(tx, scope, first);
    case 'assign_team': {
      const teamId = first === 'nil' || first === '0' || first === undefined ? null : Number(first);
      await assignConversation(tx, { ...scope, teamId });
      return;
    }
    case 'send_email_to_team':
      return action.teamEmail ? sendEmailToTeam(tx, scope, action.teamEmail) : undefined;
    case 'send_email_transcript':
      return sendEmailTranscript(tx, scope, action.params);
    case 'mute_conversation':
      return mute(tx, scope);
    case 'snooze_conversation':
      return setStatus(tx, scope, 'snoozed');
    case 'resolve_conversation':
      return setStatus(tx, scope, 'resolved');
    case 'open_conversation':
      return setStatus(tx, scope, 'open');
    case 'pending_conversation':
      return setStatus(tx, scope, 'pending');
    case 'change_status':
      return setStatus(tx, scope, first as ConversationStatus);
    case 'change_priority': {
      const priority = first === 'nil' || first === undefined ? null : (first as ConversationPriority);
      await setConversationPriority(tx, { ...scope, priority });
      return;
    }
  }
}
