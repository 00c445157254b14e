import { API_INBOX_FORMAT } from '../inboxes/callback-subscriptions.js';
import { AGENT_BOT_FORMAT } from '../agent-bots/bot-subscriptions.js';
import type { WebhookSubscriptionRow } from './webhooks.tables.js';
import { AUTOMATION_WEBHOOK_FORMAT } from '../automation/rule-webhooks.js';

/** The format of Chatwoot account webhooks (the Chatwoot face registers it under this name). */
export const CHATWOOT_ACCOUNT_WEBHOOK_FORMAT = 'chatwoot';
/** The format of Dixa webhook subscriptions (`/dixa/v1/webhooks`, addressed by their uuid). */
export const DIXA_WEBHOOK_FORMAT = 'dixa';
/** The format of CALLR webhooks (`webhooks.subscribe`), addressed by `encodeHash('webhook', id)`. */
export const CALLR_WEBHOOK_FORMAT = 'callr';

export const subscriptionSourceKinds = [
  'chatwoot_webhook',
  'chatwoot_inbox',
  'chatwoot_agent_bot',
  'dixa_webhook',
  'callr_webhook',
  'chatwoot_automation_rule',
] as const;
export type SubscriptionSourceKind = (typeof subscriptionSourceKinds)[number];

/**
 * What a face-owned subscription came from: the face resource whose settings create, change and
 * delete it. Subscriptions made through the native API (native and Modjo formats) have none.
 */
export interface SubscriptionSource {
  kind: SubscriptionSourceKind;
  /** The id of that resource in its face: the Chatwoot webhook, inbox or agent bot; a Dixa uuid. */
  id: number | string;
  /** The face whose API manages it. */
  face: 'chatwoot' | 'dixa' | 'callr';
}

function optionId(row: WebhookSubscriptionRow, key: string): number {
  return Number(row.options[key]);
}

const sourceByFormat: Record<string, (row: WebhookSubscriptionRow) => SubscriptionSource> = {
  [CHATWOOT_ACCOUNT_WEBHOOK_FORMAT]: (row) => ({ kind: 'chatwoot_webhook', id: row.id, face: 'chatwoot' }),
  [API_INBOX_FORMAT]: (row) => ({ kind: 'chatwoot_inbox', id: optionId(row, 'inboxId'), face: 'chatwoot' }),
  [AGENT_BOT_FORMAT]: (row) => ({
    kind: 'chatwoot_agent_bot',
    id: optionId(row, 'agentBotId'),
    face: 'chatwoot',
  }),
  [DIXA_WEBHOOK_FORMAT]: (row) => ({ kind: 'dixa_webhook', id: row.uuid, face: 'dixa' }),
  // Its id here is the subscription id; CALLR clients know it as that id's `webhook` hash.
  [CALLR_WEBHOOK_FORMAT]: (row) => ({ kind: 'callr_webhook', id: row.id, face: 'callr' }),
  // The hidden subscription behind an automation rule's `send_webhook_event` action.
  [AUTOMATION_WEBHOOK_FORMAT]: (row) => ({
    kind: 'chatwoot_automation_rule',
    id: optionId(row, 'ruleId'),
    face: 'chatwoot',
  }),
};

/** Null when the subscription is managed through the native API itself. */
export function subscriptionSourceOf(row: WebhookSubscriptionRow): SubscriptionSource | null {
  return sourceByFormat[row.format]?.(row) ?? null;
}
