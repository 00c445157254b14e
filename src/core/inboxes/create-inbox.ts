import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { inboxes, type ChannelType, type InboxRow } from './inboxes.tables.js';
import { inboxCreated, inboxEventPayload } from './inboxes.events.js';
import type { ChannelSettings } from './channel-settings.js';
import { syncInboxCallbackSubscription } from './callback-subscriptions.js';
import {
  assertCallbackUrl,
  assertTimezone,
  settingsColumns,
  type InboxSettingsInput,
} from './inbox-settings.js';

export interface CreateInboxInput extends InboxSettingsInput {
  accountId: number;
  name: string;
  channelType: ChannelType;
  channelSettings?: ChannelSettings | undefined;
}

/** 144 random bits: the identifier is all a widget or client-API caller needs to reach the inbox. */
function newIdentifier(): string {
  return randomBytes(18).toString('base64url');
}

function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Secrets each channel needs from the start, unless the caller supplied them. */
function initialChannelSettings(channelType: ChannelType, given: ChannelSettings): ChannelSettings {
  if (channelType === 'api') return { hmacToken: newSecret(), secret: newSecret(), ...given };
  if (channelType === 'web_widget') return { hmacToken: newSecret(), ...given };
  return given;
}

export async function createInbox(db: Db, input: CreateInboxInput, actor: Actor): Promise<InboxRow> {
  assertTimezone(input.timezone);
  const { accountId, channelType, channelSettings, ...settings } = input;
  if (channelType === 'api') assertCallbackUrl(channelSettings?.webhookUrl);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inboxes)
      .values({
        ...settingsColumns(settings),
        accountId,
        name: input.name,
        channelType,
        identifier: newIdentifier(),
        channelSettings: initialChannelSettings(channelType, channelSettings ?? {}),
      })
      .returning();
    if (!row) throw new Error('insert returned no inbox');
    await syncInboxCallbackSubscription(tx, accountId, row.id, row);
    await recordEvent(tx, inboxCreated, {
      accountId,
      aggregateId: row.id,
      payload: inboxEventPayload(row),
      actor,
    });
    return row;
  });
}
