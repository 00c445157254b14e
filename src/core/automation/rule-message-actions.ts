import type { Db } from '../../platform/db/database.js';
import { recordEvent } from '../../platform/events/outbox.js';
import { createMessage, getConversation, snapshotOfRow } from '../conversations/index.js';
import { automationWebhookTriggered } from './automation-rules.events.js';
import type { ActionScope } from './rule-actions.js';
import { ensureRuleWebhook } from './rule-webhooks.js';

/** A reply (or a private note) from nobody in particular, tagged with the rule as Chatwoot does. */
export async function sendMessage(
  tx: Db,
  scope: ActionScope,
  content: string,
  isPrivate: boolean,
): Promise<void> {
  await createMessage(tx, {
    accountId: scope.accountId,
    conversationId: scope.conversationId,
    messageType: 'outgoing',
    content,
    private: isPrivate,
    contentAttributes: { automation_rule_id: scope.rule.id },
    sender: null,
    actor: scope.actor,
  });
}

function fileNameOf(url: string): string | null {
  const last = new URL(url).pathname.split('/').pop();
  return last ? decodeURIComponent(last) : null;
}

/**
 * Chatwoot attaches files uploaded with the rule; the seed has no upload endpoint, so here the
 * rule names the files' URLs and the message links them.
 */
export async function sendAttachment(tx: Db, scope: ActionScope, urls: string[]): Promise<void> {
  await createMessage(tx, {
    accountId: scope.accountId,
    conversationId: scope.conversationId,
    messageType: 'outgoing',
    content: null,
    contentAttributes: { automation_rule_id: scope.rule.id },
    attachments: urls.map((url) => ({
      externalUrl: url,
      fileName: fileNameOf(url),
      fileType: 'file' as const,
    })),
    sender: null,
    actor: scope.actor,
  });
}

/**
 * Records the request; the webhook engine's fan-out turns it into a delivery to the rule's own
 * subscription for `url` (made here if it is the first), so it is signed, retried and logged.
 */
export async function sendWebhookEvent(tx: Db, scope: ActionScope, url: string): Promise<void> {
  await ensureRuleWebhook(tx, scope.rule, url);
  const conversation = await getConversation(tx, scope.accountId, scope.conversationId);
  await recordEvent(tx, automationWebhookTriggered, {
    accountId: scope.accountId,
    aggregateId: conversation.id,
    payload: {
      ruleId: scope.rule.id,
      url,
      ruleEventName: scope.rule.eventName,
      conversation: await snapshotOfRow(tx, conversation),
    },
    actor: scope.actor,
  });
}
