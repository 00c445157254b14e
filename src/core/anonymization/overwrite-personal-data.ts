import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { contactInboxes, contacts } from '../contacts/contacts.tables.js';
import { attachments, conversations, messages } from '../conversations/conversations.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { scopedMessages, type AnonymizationScope } from './anonymization-scope.js';

/** What an anonymized end user is called from now on. */
export const ANONYMIZED_NAME = 'Anonymized user';

/** The personal strings about to be overwritten, so copies of them elsewhere can be found. */
export interface PersonalStrings {
  /** Names, addresses, numbers, identifiers: replaced wherever they appear inside a text. */
  identity: string[];
  /** Message texts: replaced where a logged payload holds exactly that text. */
  contents: string[];
}

const ADDRESS_CHANNELS = ['email', 'sms', 'whatsapp', 'voice'] as const;
// Shorter strings ("Al", "1") would match inside unrelated words of a logged payload.
const MIN_IDENTITY_LENGTH = 3;

export async function collectPersonalStrings(tx: Db, scope: AnonymizationScope): Promise<PersonalStrings> {
  const identity: (string | null)[] = [];
  if (scope.contactId !== null) {
    const [contact] = await tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.accountId, scope.accountId), eq(contacts.id, scope.contactId)));
    const sources = await tx
      .select({ sourceId: contactInboxes.sourceId })
      .from(contactInboxes)
      .where(
        and(eq(contactInboxes.accountId, scope.accountId), eq(contactInboxes.contactId, scope.contactId)),
      );
    if (contact && contact.name !== ANONYMIZED_NAME) {
      identity.push(
        contact.name,
        ...[contact.firstName, contact.lastName, contact.email, contact.phoneNumber, contact.identifier],
        ...contact.middleNames,
        ...contact.additionalEmails,
        ...contact.additionalPhoneNumbers,
        ...sources.map((source) => source.sourceId).filter((id) => /@|^\+?\d[\d\s().-]{5,}$/.test(id)),
      );
    }
  }
  const rows = await tx
    .select({ content: messages.content })
    .from(messages)
    .where(and(scopedMessages(scope), isNotNull(messages.content)));
  return {
    identity: unique(identity).filter((text) => text.length >= MIN_IDENTITY_LENGTH),
    contents: unique(rows.map((row) => row.content ?? '')).filter((text) => text.trim() !== ''),
  };
}

function unique(texts: (string | null)[]): string[] {
  return [...new Set(texts.filter((text): text is string => text !== null).map((text) => text.trim()))];
}

/** Overwrites the end user's own row and the addresses their channels know them by. */
export async function overwriteContact(tx: Db, scope: AnonymizationScope): Promise<void> {
  if (scope.contactId === null) return;
  await tx
    .update(contacts)
    .set({
      name: ANONYMIZED_NAME,
      firstName: null,
      middleNames: [],
      lastName: null,
      email: null,
      additionalEmails: [],
      phoneNumber: null,
      additionalPhoneNumbers: [],
      identifier: null,
      avatarUrl: null,
      customAttributes: {},
      additionalAttributes: {},
      updatedAt: sql`now()`,
    })
    .where(and(eq(contacts.accountId, scope.accountId), eq(contacts.id, scope.contactId)));
  // A source id that is an email address or phone number is personal; a widget's random id is not.
  await tx
    .update(contactInboxes)
    .set({ sourceId: sql`'anonymized-' || ${contactInboxes.id}`, updatedAt: sql`now()` })
    .where(
      and(
        eq(contactInboxes.accountId, scope.accountId),
        eq(contactInboxes.contactId, scope.contactId),
        sql`(${contactInboxes.sourceId} LIKE '%@%' OR ${contactInboxes.sourceId} ~ '^\\+?[0-9][0-9 ().-]{5,}$'
          OR ${contactInboxes.inboxId} IN (SELECT ${inboxes.id} FROM ${inboxes} WHERE ${inboxes.accountId} = ${scope.accountId}
            AND ${inArray(inboxes.channelType, [...ADDRESS_CHANNELS])}))`,
      ),
    );
}

/**
 * Empties the scope's messages (text, structured content, channel headers) and removes their
 * attachment rows; the caller deletes the blobs. Whole conversations are marked anonymized and
 * lose what the channel recorded about the visitor (browser, IP, email subject).
 */
export async function overwriteConversations(tx: Db, scope: AnonymizationScope): Promise<void> {
  await tx
    .delete(attachments)
    .where(
      and(
        eq(attachments.accountId, scope.accountId),
        inArray(
          attachments.messageId,
          tx.select({ id: messages.id }).from(messages).where(scopedMessages(scope)),
        ),
      ),
    );
  await tx
    .update(messages)
    .set({ content: null, contentAttributes: {}, additionalAttributes: {}, updatedAt: sql`now()` })
    .where(scopedMessages(scope));
  if (scope.conversationIds.length === 0) return;
  await tx
    .update(conversations)
    .set({
      anonymizedAt: sql`coalesce(${conversations.anonymizedAt}, now())`,
      subject: null,
      additionalAttributes: {},
      updatedAt: sql`now()`,
    })
    .where(
      and(eq(conversations.accountId, scope.accountId), inArray(conversations.id, scope.conversationIds)),
    );
}
