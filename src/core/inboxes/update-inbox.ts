import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { inboxes, type InboxRow } from './inboxes.tables.js';
import { inboxEventPayload, inboxUpdated } from './inboxes.events.js';
import type { ChannelSettings } from './channel-settings.js';
import { syncInboxCallbackSubscription } from './callback-subscriptions.js';
import {
  assertCallbackUrl,
  assertTimezone,
  settingsColumns,
  type InboxSettingsInput,
} from './inbox-settings.js';
import { getInbox } from './inboxes.js';

export interface UpdateInboxInput extends InboxSettingsInput {
  /** Merged key by key into the stored channel settings; a null value clears that key. */
  channelSettings?: ChannelSettings | undefined;
}

export async function updateInbox(
  db: Db,
  accountId: number,
  inboxId: number,
  input: UpdateInboxInput,
  actor: Actor,
): Promise<InboxRow> {
  assertTimezone(input.timezone);
  const { channelSettings, ...settings } = input;
  const current = await getInbox(db, accountId, inboxId);
  if (current.channelType === 'api') assertCallbackUrl(channelSettings?.webhookUrl);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(inboxes)
      .set({
        ...settingsColumns(settings),
        ...(channelSettings !== undefined && {
          channelSettings: sql`jsonb_strip_nulls(${inboxes.channelSettings} || ${JSON.stringify(channelSettings)}::jsonb)`,
        }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, inboxId)))
      .returning();
    if (!row) throw notFound('Inbox');
    if (row.channelType === 'api') {
      await syncInboxCallbackSubscription(tx, accountId, inboxId, row);
    }
    await recordEvent(tx, inboxUpdated, {
      accountId,
      aggregateId: row.id,
      payload: inboxEventPayload(row),
      actor,
    });
    return row;
  });
}
