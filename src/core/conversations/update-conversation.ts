import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import type { ConversationPriority, ConversationRow, ConversationStatus } from './conversations.tables.js';
import {
  lockConversation,
  recordConversationChanges,
  recordStatusChange,
  writeConversation,
} from './conversations.js';
import { actorName, addActivityMessage } from './activity-messages.js';
import { scheduleSnoozeEnd } from './snooze.jobs.js';
import { ensureLabels } from '../labels/ensure-labels.js';

const statusActivity: Record<ConversationStatus, string> = {
  open: 'Conversation was reopened by',
  resolved: 'Conversation was marked resolved by',
  pending: 'Conversation was marked as pending by',
  snoozed: 'Conversation was snoozed by',
};

/**
 * Sets the status; without one, toggles open <-> resolved as Chatwoot does. A snooze without an
 * end lasts until the contact writes again; with one, a job reopens the conversation when due.
 */
export async function toggleConversationStatus(
  tx: Db,
  input: {
    accountId: number;
    conversationId: number;
    status?: ConversationStatus | undefined;
    snoozedUntil?: Date | null | undefined;
    actor: Actor;
  },
): Promise<ConversationRow> {
  const before = await lockConversation(tx, input.accountId, input.conversationId);
  const status = input.status ?? (before.status === 'open' ? 'resolved' : 'open');
  const snoozedUntil = status === 'snoozed' ? (input.snoozedUntil ?? null) : null;
  if (snoozedUntil && snoozedUntil.getTime() <= Date.now()) {
    throw new DomainError('VALIDATION_FAILED', 'snoozed_until must be in the future', [
      { path: 'snoozed_until', message: 'must be in the future' },
    ]);
  }
  if (
    status === before.status &&
    (before.snoozedUntil?.getTime() ?? null) === (snoozedUntil?.getTime() ?? null)
  ) {
    return before;
  }
  const after = await writeConversation(tx, before, {
    status,
    snoozedUntil,
    // A resolved conversation no longer waits on anyone.
    ...(status === 'resolved' ? { waitingSince: null } : {}),
  });
  if (snoozedUntil) await scheduleSnoozeEnd(tx, after, snoozedUntil);
  if (status !== before.status) {
    await recordStatusChange(tx, after, before.status, input.actor);
    const name = await actorName(tx, input.accountId, input.actor);
    if (name) await addActivityMessage(tx, after, `${statusActivity[status]} ${name}`, input.actor);
  } else {
    await recordConversationChanges(tx, before, after, ['snoozedUntil'], input.actor);
  }
  return lockConversation(tx, input.accountId, input.conversationId);
}

export async function setConversationPriority(
  tx: Db,
  input: { accountId: number; conversationId: number; priority: ConversationPriority | null; actor: Actor },
): Promise<ConversationRow> {
  const before = await lockConversation(tx, input.accountId, input.conversationId);
  if (before.priority === input.priority) return before;
  const after = await writeConversation(tx, before, { priority: input.priority });
  await recordConversationChanges(tx, before, after, ['priority'], input.actor);
  return after;
}

/** Replaces the labels (Chatwoot's POST labels overwrites the list); duplicates collapse. */
export async function setConversationLabels(
  tx: Db,
  input: { accountId: number; conversationId: number; labels: string[]; actor: Actor },
): Promise<ConversationRow> {
  const before = await lockConversation(tx, input.accountId, input.conversationId);
  const labels = [...new Set(input.labels.map((label) => label.trim()).filter(Boolean))];
  await ensureLabels(tx, input.accountId, labels);
  const after = await writeConversation(tx, before, { labels });
  await recordConversationChanges(tx, before, after, ['labels'], input.actor);
  return after;
}

/** Replaces the custom attributes with the given (already validated) values. */
export async function setConversationCustomAttributes(
  tx: Db,
  input: {
    accountId: number;
    conversationId: number;
    customAttributes: Record<string, unknown>;
    actor: Actor;
  },
): Promise<ConversationRow> {
  const before = await lockConversation(tx, input.accountId, input.conversationId);
  const after = await writeConversation(tx, before, { customAttributes: input.customAttributes });
  await recordConversationChanges(tx, before, after, ['customAttributes'], input.actor);
  return after;
}
