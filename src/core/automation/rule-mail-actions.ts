import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { contacts } from '../contacts/contacts.tables.js';
import { getConversation } from '../conversations/index.js';
import type { ConversationRow } from '../conversations/conversations.tables.js';
import { users } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { queueEmail } from '../mail/queue-email.js';
import { teamMembers } from '../teams/teams.tables.js';
import { originOf } from './automation-actor.js';
import type { ActionScope } from './rule-actions.js';
import { CONTACT_EMAIL_VARIABLE } from './rule-action-params.js';
import type { TeamEmailParam } from './rule-definition.js';
import { conversationTranscriptText } from './conversation-transcript-text.js';

async function describe(tx: Db, conversation: ConversationRow) {
  const [inbox] = await tx
    .select({ name: inboxes.name })
    .from(inboxes)
    .where(and(eq(inboxes.accountId, conversation.accountId), eq(inboxes.id, conversation.inboxId)));
  const [contact] = await tx
    .select({ name: contacts.name, email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.accountId, conversation.accountId), eq(contacts.id, conversation.contactId)));
  return {
    inboxName: inbox?.name ?? 'Inbox',
    contactName: contact?.name ?? '',
    contactEmail: contact?.email ?? null,
  };
}

/** One email per address; `{{contact.email}}` stands for the conversation's contact (skipped without one). */
export async function sendEmailTranscript(tx: Db, scope: ActionScope, addresses: string[]): Promise<void> {
  const conversation = await getConversation(tx, scope.accountId, scope.conversationId);
  const about = await describe(tx, conversation);
  const recipients = [
    ...new Set(
      addresses.flatMap((address) =>
        address === CONTACT_EMAIL_VARIABLE ? (about.contactEmail ?? []) : address,
      ),
    ),
  ];
  if (recipients.length === 0) return;
  const subject = `[${about.inboxName}] Conversation Transcript #${conversation.displayId}`;
  const heading = `Conversation #${conversation.displayId} with ${about.contactName || 'a contact'} in ${about.inboxName}`;
  const text = await conversationTranscriptText(tx, conversation, heading);
  for (const to of recipients) {
    await queueEmail(tx, { accountId: scope.accountId, to, subject, text, origin: originOf(scope.rule.id) });
  }
}

/** The rule's message to every member of the named teams, once per address. */
export async function sendEmailToTeam(tx: Db, scope: ActionScope, param: TeamEmailParam): Promise<void> {
  const conversation = await getConversation(tx, scope.accountId, scope.conversationId);
  const about = await describe(tx, conversation);
  const members = await tx
    .selectDistinct({ email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.accountId, scope.accountId), inArray(teamMembers.teamId, param.teamIds)));
  const subject = `Conversation #${conversation.displayId} in ${about.inboxName} needs your attention`;
  const text = `${param.message}\n\nConversation #${conversation.displayId} with ${about.contactName || 'a contact'} in ${about.inboxName}.\n`;
  for (const member of members) {
    await queueEmail(tx, {
      accountId: scope.accountId,
      to: member.email,
      subject,
      text,
      origin: originOf(scope.rule.id),
    });
  }
}
