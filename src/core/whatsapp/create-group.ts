import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { getInbox } from '../inboxes/inboxes.js';
import { applyGroupMetadata } from './apply-group-metadata.js';
import { loadGroup, type GroupContext } from './group-context.js';
import { instanceOf, whatsappProviderFor } from './providers.js';
import { callProvider, userJidOf } from './whatsapp-provider.js';

export interface CreateGroupInput {
  accountId: number;
  inboxId: number;
  subject: string;
  /** Phone numbers (E.164, with or without +) or user JIDs. */
  participants: string[];
  actor: Actor;
}

/**
 * Creates a WhatsApp group through the inbox's provider, then records it: the group contact, its
 * address in the inbox, and its members (the inbox's own number as creator).
 */
export async function createGroup(
  db: Db,
  input: CreateGroupInput,
): Promise<{ groupJid: string; subject: string }> {
  const inbox = await getInbox(db, input.accountId, input.inboxId);
  const provider = whatsappProviderFor(db, inbox);
  const instance = instanceOf(inbox);
  if (!instance.ownJid) {
    throw new DomainError('VALIDATION_FAILED', 'The WhatsApp inbox has no phone number', [
      { path: 'inbox_id', message: 'has no phone number' },
    ]);
  }
  // The provider is another system: it is called outside our transaction, which then records its answer.
  const metadata = await callProvider(() =>
    provider.createGroup(instance, {
      subject: input.subject,
      participantJids: [...new Set(input.participants.map(userJidOf))],
    }),
  );
  const group = await db.transaction((tx) =>
    applyGroupMetadata(tx, { inbox, metadata, origin: 'parley', actor: input.actor }),
  );
  return { groupJid: group.groupJid, subject: group.name };
}

/** Refreshes a group from the provider (subject, description, picture, settings, members). */
export async function syncGroup(
  db: Db,
  input: { accountId: number; contactId: number; actor: Actor },
): Promise<GroupContext> {
  const context = await loadGroup(db, input.accountId, input.contactId);
  const metadata = await callProvider(() =>
    context.provider.groupMetadata(context.instance, context.group.groupJid),
  );
  const group = await db.transaction((tx) =>
    applyGroupMetadata(tx, { inbox: context.inbox, metadata, origin: 'provider', actor: input.actor }),
  );
  return { ...context, group };
}
