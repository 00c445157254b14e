import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { channelSettingsOf } from '../inboxes/channel-settings.js';
import type { InboxRow } from '../inboxes/inboxes.tables.js';
import { createStandInProvider } from './stand-in-provider.js';
import {
  providerUnavailable,
  userJidOf,
  type WhatsappInstance,
  type WhatsappProvider,
} from './whatsapp-provider.js';

/** Real adapters by the inbox's `provider` setting; a Baileys adapter plugs in here. */
const adapters = new Map<string, (db: Db) => WhatsappProvider>();

/** WhatsApp Cloud API, 360dialog and Twilio cannot manage groups: their inboxes get a 4xx, not the stand-in. */
const groupless = new Set(['whatsapp_cloud', '360dialog', 'twilio']);

export function registerWhatsappProviderAdapter(name: string, create: (db: Db) => WhatsappProvider): void {
  adapters.set(name, create);
}

/**
 * The provider serving a WhatsApp inbox's groups: a registered adapter for its provider name,
 * otherwise the local stand-in (until a Baileys adapter is registered, `baileys` inboxes use it).
 */
export function whatsappProviderFor(db: Db, inbox: InboxRow): WhatsappProvider {
  if (inbox.channelType !== 'whatsapp') {
    throw new DomainError('VALIDATION_FAILED', 'The inbox is not a WhatsApp inbox', [
      { path: 'inbox_id', message: 'is not a WhatsApp inbox' },
    ]);
  }
  const name = channelSettingsOf(inbox).provider;
  const adapter = typeof name === 'string' ? adapters.get(name) : undefined;
  if (adapter) return adapter(db);
  if (typeof name === 'string' && groupless.has(name)) {
    throw providerUnavailable(`the ${name} provider does not support groups`);
  }
  return createStandInProvider(db);
}

/**
 * The provider that sends the inbox's messages, or null when Parley has no adapter for its provider
 * (WhatsApp Cloud API, 360dialog, Twilio): the same choice as `whatsappProviderFor`, for any chat.
 */
export function whatsappSenderFor(db: Db, inbox: InboxRow): WhatsappProvider | null {
  const name = channelSettingsOf(inbox).provider;
  const adapter = typeof name === 'string' ? adapters.get(name) : undefined;
  if (adapter) return adapter(db);
  if (typeof name === 'string' && groupless.has(name)) return null;
  return createStandInProvider(db);
}

/** The inbox's own number as the provider knows it, or null when it has none. */
export function instanceOf(inbox: InboxRow): WhatsappInstance {
  const phone = channelSettingsOf(inbox).phoneNumber;
  return {
    accountId: inbox.accountId,
    inboxId: inbox.id,
    ownJid: typeof phone === 'string' && phone.trim() !== '' ? userJidOf(phone) : null,
  };
}
