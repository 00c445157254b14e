import type { Db } from '../../platform/db/database.js';
import { listInboxes } from '../inboxes/inboxes.js';
import type { InboxRow } from '../inboxes/inboxes.tables.js';
import { dixaChannelOf, inboxTypesFor, type ConversationChannel } from './conversation-channels.js';

/**
 * The address a customer reaches an inbox at: its mailbox, its phone number, or (widgets, API
 * inboxes) the inbox's own UUID.
 */
export function endpointAddressOf(inbox: Pick<InboxRow, 'uuid' | 'channelType' | 'channelSettings'>): string {
  const settings = inbox.channelSettings;
  const address =
    inbox.channelType === 'email'
      ? settings.email
      : ['sms', 'voice', 'whatsapp'].includes(inbox.channelType)
        ? settings.phoneNumber
        : undefined;
  return typeof address === 'string' && address !== '' ? address : inbox.uuid;
}

const samePhone = (a: string, b: string) => a.replace(/[^\d+]/g, '') === b.replace(/[^\d+]/g, '');

/** Whether `reference` names the inbox: its UUID, public identifier, mailbox or phone number. */
function isNamedBy(inbox: InboxRow, reference: string): boolean {
  const wanted = reference.trim();
  if (wanted === inbox.uuid || wanted === inbox.identifier) return true;
  const { email, phoneNumber } = inbox.channelSettings;
  if (typeof email === 'string' && email.toLowerCase() === wanted.toLowerCase()) return true;
  return typeof phoneNumber === 'string' && phoneNumber !== '' && samePhone(phoneNumber, wanted);
}

/**
 * The account's inboxes that carry a channel, the inbox types that are the channel's own first
 * (an email inbox before an API inbox for a contact form).
 */
export async function listChannelInboxes(
  db: Db,
  accountId: number,
  channel: ConversationChannel,
): Promise<InboxRow[]> {
  const types = inboxTypesFor(channel);
  const inboxes = await listInboxes(db, accountId);
  return inboxes
    .filter((inbox) => types.includes(inbox.channelType))
    .sort((a, b) => types.indexOf(a.channelType) - types.indexOf(b.channelType) || a.id - b.id);
}

/**
 * The inbox a conversation on `channel` opens in: the one `reference` names (an email
 * integration, a widget, a phone number), or without one the channel's first inbox.
 */
export async function findChannelInbox(
  db: Db,
  accountId: number,
  channel: ConversationChannel,
  reference?: string,
): Promise<InboxRow | null> {
  const candidates = await listChannelInboxes(db, accountId, channel);
  if (reference === undefined) {
    return candidates.find((inbox) => dixaChannelOf(inbox) === channel) ?? candidates[0] ?? null;
  }
  return candidates.find((inbox) => isNamedBy(inbox, reference)) ?? null;
}
