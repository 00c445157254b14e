import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { lockConversation, setConversationLabels } from '../conversations/index.js';
import type { ConversationRow } from '../conversations/conversations.tables.js';
import { getLabelByUuid } from './labels.js';

export interface TagConversationInput {
  accountId: number;
  /** The conversation's internal id. */
  conversationId: number;
  labelUuid: string;
  actor: Actor;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Puts a tag on a conversation through the same path as Chatwoot's label update, so
 * conversation.updated carries `changes.labels` to webhooks, real-time clients and the activity log.
 * Only active tags may be added; a tag already there is left alone.
 */
export async function tagConversation(tx: Db, input: TagConversationInput): Promise<ConversationRow> {
  const label = await getLabelByUuid(tx, input.accountId, input.labelUuid);
  if (label.state !== 'active') {
    throw new DomainError('VALIDATION_FAILED', 'An inactive tag cannot be added to a conversation', [
      { path: 'tagId', message: 'the tag is inactive' },
    ]);
  }
  const before = await lockConversation(tx, input.accountId, input.conversationId);
  if (before.labels.some((name) => sameName(name, label.name))) return before;
  return setConversationLabels(tx, {
    accountId: input.accountId,
    conversationId: before.id,
    labels: [...before.labels, label.name],
    actor: input.actor,
  });
}

/** Takes a tag off a conversation, active or not; a tag that is not there is left alone. */
export async function untagConversation(tx: Db, input: TagConversationInput): Promise<ConversationRow> {
  const label = await getLabelByUuid(tx, input.accountId, input.labelUuid);
  const before = await lockConversation(tx, input.accountId, input.conversationId);
  const remaining = before.labels.filter((name) => !sameName(name, label.name));
  if (remaining.length === before.labels.length) return before;
  return setConversationLabels(tx, {
    accountId: input.accountId,
    conversationId: before.id,
    labels: remaining,
    actor: input.actor,
  });
}
