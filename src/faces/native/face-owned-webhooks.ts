import { DomainError } from '../../platform/errors.js';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import { subscriptionSourceOf, type SubscriptionSource } from '../../core/webhooks/subscription-sources.js';
import { NATIVE_FORMAT } from './webhook-format.js';

// Formats of faces without their own webhook API (Modjo's is configured in its web app), managed here.
export const managedFormats = [NATIVE_FORMAT, 'modjo'] as const;

export function isManagedHere(row: WebhookSubscriptionRow): boolean {
  return (managedFormats as readonly string[]).includes(row.format);
}

const sourcePaths: Record<SubscriptionSource['kind'], string> = {
  chatwoot_webhook: 'webhooks',
  chatwoot_inbox: 'inboxes',
  chatwoot_agent_bot: 'agent_bots',
  dixa_webhook: 'webhooks',
  callr_webhook: 'webhooks',
  chatwoot_automation_rule: 'automation_rules',
};

function ownerOf(row: WebhookSubscriptionRow): string {
  const source = subscriptionSourceOf(row);
  if (!source) return `the ${row.format} face`;
  // Dixa paths do not name the account: the key's account is implied.
  if (source.face === 'dixa') return `/dixa/v1/${sourcePaths[source.kind]}/${source.id}`;
  if (source.face === 'callr') return "the CALLR face's webhooks.* methods (/callr/json-rpc/v1.1/)";
  return `/chatwoot/api/v1/accounts/${row.accountId}/${sourcePaths[source.kind]}/${source.id}`;
}

/**
 * Another face's subscription is read-only here, so the face that owns it stays the one truth
 * (an inbox's callback URL lives in the inbox). `enabled` is the exception: no face has a switch
 * for it, and an endpoint Parley disabled after it kept failing must be re-enabled somewhere.
 */
export function refuseFaceOwnedUpdate(row: WebhookSubscriptionRow, changes: Record<string, unknown>): void {
  if (isManagedHere(row)) return;
  const readOnly = Object.keys(changes).filter((key) => changes[key] !== undefined && key !== 'enabled');
  if (readOnly.length === 0) return;
  throw new DomainError(
    'CONFLICT',
    `This ${row.format} subscription is managed by ${ownerOf(row)}; change it there (only enabled can be set here)`,
    readOnly.map((key) => ({ path: `body.${key}`, message: 'is read-only for this subscription' })),
  );
}

export function refuseFaceOwnedDelete(row: WebhookSubscriptionRow): void {
  if (isManagedHere(row)) return;
  throw new DomainError(
    'CONFLICT',
    `This ${row.format} subscription is managed by ${ownerOf(row)}; delete or clear it there`,
  );
}
