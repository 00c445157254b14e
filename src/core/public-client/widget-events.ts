import { DomainError } from '../../platform/errors.js';
import type { Db } from '../../platform/db/database.js';
import { recordEvent } from '../../platform/events/outbox.js';
import { toContactSnapshot, touchContactActivity } from '../contacts/contacts.js';
import { widgetTriggered } from '../contacts/contacts.events.js';
import type { ClientContact } from './client-contacts.js';

export interface WidgetEventInput {
  name: string;
  eventInfo: Record<string, unknown>;
}

/**
 * A web-widget visitor's page event (the widget opened, a page was viewed). Only web-widget
 * inboxes have a widget, so other channels are refused rather than silently accepted.
 */
export async function triggerWidgetEvent(
  db: Db,
  client: ClientContact,
  input: WidgetEventInput,
): Promise<void> {
  if (client.inbox.channelType !== 'web_widget') {
    throw new DomainError('VALIDATION_FAILED', 'Widget events exist only on web widget inboxes', [
      { path: 'inbox_identifier', message: `is a ${client.inbox.channelType} inbox` },
    ]);
  }
  await db.transaction(async (tx) => {
    await touchContactActivity(tx, client.inbox.accountId, client.contact.id);
    await recordEvent(tx, widgetTriggered, {
      accountId: client.inbox.accountId,
      aggregateId: client.contact.id,
      payload: {
        contact: toContactSnapshot(client.contact),
        inbox: { id: client.inbox.id, name: client.inbox.name },
        sourceId: client.contactInbox.sourceId,
        eventInfo: { ...input.eventInfo, event_name: input.name },
      },
      actor: { type: 'contact', id: client.contact.id },
    });
  });
}
