import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import type { ConversationRow } from '../../core/conversations/conversations.tables.js';
import type { CustomAttributeDefinitionRow } from '../../core/custom-attributes/custom-attributes.tables.js';
import {
  loadConversationAttributeDefinitions,
  loadConversationRelations,
  type ConversationRelations,
} from '../../core/conversations/conversation-relations.js';
import { dixaChannelOf, type ConversationChannel } from '../../core/conversations/conversation-channels.js';
import { toDixaCustomAttributes } from './custom-attribute.map.js';
import { browserInfoSchema, type DixaConversation } from './conversation-schema.js';

export { dixaConversationSchema, type DixaConversation } from './conversation-schema.js';

const stateOf = { open: 'Open', resolved: 'Closed', snoozed: 'Pending', pending: 'AwaitingPending' } as const;

const linkTypeOf = {
  side_conversation: 'SideConversation',
  follow_up: 'FollowUp',
  email_forward: 'EmailForward',
} as const;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Omits the keys whose value is undefined, so optional seed fields are absent, never null. */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** Chatwoot keeps the visitor's browser in additional_attributes; Dixa calls it BrowserInfo. */
function browserInfoOf(attributes: Record<string, unknown>): z.infer<typeof browserInfoSchema> | undefined {
  const browser = (attributes.browser ?? {}) as Record<string, unknown>;
  const name = text(browser.browser_name);
  if (!name) return undefined;
  return defined({
    name,
    version: text(browser.browser_version),
    ipAddress: text(attributes.remote_ip),
    originatingUrl: text(attributes.referer),
  });
}

function addresses(row: ConversationRow, relations: ConversationRelations, kind: 'email' | 'phoneNumber') {
  const settings = relations.inbox.channelSettings;
  const ours = text(settings[kind]);
  const theirs = text(relations.contact[kind]) ?? text(relations.contact.sourceId);
  return row.direction === 'outbound' ? { from: ours, to: theirs } : { from: theirs, to: ours };
}

/** One conversation in the seed's shape, from its row, its relations and the attribute definitions. */
export function toDixaConversation(
  row: ConversationRow,
  relations: ConversationRelations,
  definitions: CustomAttributeDefinitionRow[] = [],
): DixaConversation {
  const channel: ConversationChannel = dixaChannelOf({
    channelType: relations.inbox.channelType,
    additionalAttributes: row.additionalAttributes,
  });
  const customAttributes = toDixaCustomAttributes(row.customAttributes, definitions);
  const base = defined({
    id: row.displayId,
    requesterId: relations.contact.uuid,
    channel,
    createdAt: row.createdAt.toISOString(),
    link:
      row.linkType && relations.parentDisplayId !== null
        ? { _type: linkTypeOf[row.linkType], parentId: relations.parentDisplayId }
        : undefined,
    state: stateOf[row.status],
    direction: row.direction === 'outbound' ? ('Outbound' as const) : ('Inbound' as const),
    stateUpdatedAt: (relations.statusChangedAt ?? row.createdAt).toISOString(),
    customAttributes: customAttributes.length > 0 ? customAttributes : undefined,
  });
  if (relations.anonymizedAt) {
    return { _type: 'AnonymizedConversation', ...base, anonymizedAt: relations.anonymizedAt.toISOString() };
  }
  const live = defined({
    ...base,
    queue: relations.queue
      ? { id: relations.queue.uuid, queuedAt: relations.queue.queuedAt.toISOString() }
      : undefined,
    assignment: relations.assigneeUuid
      ? {
          agentId: relations.assigneeUuid,
          assignedAt: (relations.assignedAt ?? row.updatedAt).toISOString(),
        }
      : undefined,
  });
  const language = row.language ?? undefined;
  switch (channel) {
    case 'WidgetChat':
      return defined({
        _type: 'ChatConversation',
        ...live,
        language,
        browserInfo: browserInfoOf(row.additionalAttributes),
      });
    case 'Email':
    case 'ContactForm': {
      const email = addresses(row, relations, 'email');
      const integrationEmail = text(relations.inbox.channelSettings.email);
      const subject = row.subject ?? undefined;
      return channel === 'Email'
        ? defined({
            _type: 'EmailConversation',
            ...live,
            subject,
            language,
            toEmail: email.to ?? '',
            fromEmail: email.from ?? '',
            integrationEmail: integrationEmail ?? '',
          })
        : defined({
            _type: 'ContactFormConversation',
            ...live,
            subject,
            language,
            toEmail: email.to,
            fromEmail: email.from ?? '',
            integrationEmail,
          });
    }
    case 'Sms': {
      const numbers = addresses(row, relations, 'phoneNumber');
      return defined({ _type: 'SmsConversation', ...live, toNumber: numbers.to, fromNumber: numbers.from });
    }
    case 'PstnPhone':
    case 'Callback':
    case 'Voicemail':
      return { _type: 'PstnPhoneConversation', ...live };
    case 'WhatsApp':
      return { _type: 'WhatsAppConversation', ...live };
    case 'Messenger':
      return defined({ _type: 'MessengerConversation', ...live, language });
    case 'FacebookMessenger':
      return { _type: 'FacebookMessengerConversation', ...live };
    case 'Twitter':
      return {
        _type: 'TwitterConversation',
        ...live,
        // Chatwoot marks public tweets with additional_attributes.type = 'tweet'.
        conversationType: row.additionalAttributes.type === 'tweet' ? 'Tweet' : 'DirectMessage',
      };
  }
}

/**
 * A page of conversations in the seed's shape: one query for all their relations and one for the
 * attribute definitions their values name, however many rows there are. Order is kept.
 */
export async function loadDixaConversations(
  db: Db,
  accountId: number,
  rows: ConversationRow[],
): Promise<DixaConversation[]> {
  const [relations, definitions] = await Promise.all([
    loadConversationRelations(db, accountId, rows),
    loadConversationAttributeDefinitions(
      db,
      accountId,
      rows.flatMap((row) => Object.keys(row.customAttributes)),
    ),
  ]);
  return rows.flatMap((row) => {
    const related = relations.get(row.id);
    return related ? [toDixaConversation(row, related, definitions)] : [];
  });
}
