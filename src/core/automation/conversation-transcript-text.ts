import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { messages, type ConversationRow, type MessageRow } from '../conversations/conversations.tables.js';
import { users } from '../identity/identity.tables.js';

/** A transcript email stays readable; a runaway conversation is cut, and says so. */
const TRANSCRIPT_MESSAGE_LIMIT = 2000;

async function senderNames(db: Db, accountId: number, rows: MessageRow[]): Promise<Map<string, string>> {
  const idsOf = (type: MessageRow['senderType']) => [
    ...new Set(
      rows.flatMap((row) => (row.senderType === type && row.senderId !== null ? [row.senderId] : [])),
    ),
  ];
  const [contactRows, userRows, botRows] = await Promise.all([
    idsOf('contact').length === 0
      ? []
      : db
          .select({ id: contacts.id, name: contacts.name })
          .from(contacts)
          .where(and(eq(contacts.accountId, accountId), inArray(contacts.id, idsOf('contact')))),
    idsOf('user').length === 0
      ? []
      : db
          .select({ id: users.id, name: users.name, displayName: users.displayName })
          .from(users)
          .where(inArray(users.id, idsOf('user'))),
    idsOf('agent_bot').length === 0
      ? []
      : db
          .select({ id: agentBots.id, name: agentBots.name })
          .from(agentBots)
          .where(inArray(agentBots.id, idsOf('agent_bot'))),
  ]);
  return new Map([
    ...contactRows.map((row) => [`contact:${row.id}`, row.name || 'Contact'] as const),
    ...userRows.map((row) => [`user:${row.id}`, row.displayName ?? row.name] as const),
    ...botRows.map((row) => [`agent_bot:${row.id}`, row.name] as const),
  ]);
}

const stamp = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The conversation's public messages as plain text, oldest first, as Chatwoot's transcript email lists them. */
export async function conversationTranscriptText(
  db: Db,
  conversation: ConversationRow,
  heading: string,
): Promise<string> {
  const rows = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, conversation.accountId),
        eq(messages.conversationId, conversation.id),
        eq(messages.isPrivate, false),
        ne(messages.messageType, 'activity'),
        isNull(messages.deletedAt),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(TRANSCRIPT_MESSAGE_LIMIT + 1);
  const shown = rows.slice(0, TRANSCRIPT_MESSAGE_LIMIT);
  const names = await senderNames(db, conversation.accountId, shown);
  const lines = shown.map((row) => {
    const name =
      row.senderType && row.senderId !== null ? names.get(`${row.senderType}:${row.senderId}`) : undefined;
    const author = name ?? (row.messageType === 'incoming' ? 'Contact' : 'Bot');
    return `[${stamp(row.createdAt)}] ${author}: ${row.content ?? '(attachment)'}`;
  });
  if (rows.length > TRANSCRIPT_MESSAGE_LIMIT)
    lines.push(`… (only the first ${TRANSCRIPT_MESSAGE_LIMIT} messages)`);
  return [heading, '', ...lines, ''].join('\n');
}
