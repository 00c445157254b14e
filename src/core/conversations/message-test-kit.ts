import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { insertAccount, insertContact, insertConversation, insertInbox } from '../filters/filter-test-kit.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import { conversations, messages, type ConversationRow } from './conversations.tables.js';
import { messageCreated } from './conversations.events.js';
import { messageSnapshotOf } from './message-snapshots.js';

function first<T>(rows: T[], what: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`no ${what}`);
  return row;
}

/**
 * What the message-writing tests write into: an account with an inbox, an agent (Ann), a bot, a
 * contact (Carl) and a second contact (Dora, a group member), and the reads that check a write.
 */
export async function insertMessageWorld(db: Db) {
  const accountId = await insertAccount(db);
  const inboxId = await insertInbox(db, accountId);
  const agent = first(
    await db
      .insert(users)
      .values({ name: 'Ann', displayName: 'Ann B.', email: 'ann@example.com' })
      .returning(),
    'agent',
  );
  const agentId = agent.id;
  await db.insert(accountUsers).values({ accountId, userId: agentId, role: 'agent', availability: 'busy' });
  const bot = await db
    .insert(agentBots)
    .values({
      accountId,
      name: 'Helper',
      avatarUrl: 'https://example.com/bot.png',
      tokenHash: 'test-hash',
      tokenPrefix: 'test',
      secret: 'test-secret',
    })
    .returning();
  const contactId = (await insertContact(db, accountId, { name: 'Carl', email: 'carl@example.com' })).id;
  const memberId = (await insertContact(db, accountId, { name: 'Dora', phoneNumber: '+15550001111' })).id;

  return {
    accountId,
    inboxId,
    agentId,
    botId: first(bot, 'bot').id,
    contactId,
    memberId,

    /** Carl's conversation, assigned to Ann, waiting and with two unread messages unless `values` say otherwise. */
    conversationWith: (values: Partial<ConversationRow> = {}) =>
      insertConversation(db, {
        accountId,
        inboxId,
        contactId,
        assigneeId: agentId,
        waitingSince: new Date('2026-01-01T10:00:00.123Z'),
        unreadCount: 2,
        ...values,
      }),

    /** The message.created events recorded for a message. */
    eventsOf: (messageId: number) =>
      db
        .select()
        .from(events)
        .where(
          and(
            eq(events.accountId, accountId),
            eq(events.type, messageCreated.type),
            eq(events.aggregateId, String(messageId)),
          ),
        ),

    /** A message and its conversation as stored now, and message.created's payload as they show it. */
    async freshRead(messageId: number, conversationId: number) {
      const message = first(await db.select().from(messages).where(eq(messages.id, messageId)), 'message');
      const conversation = first(
        await db.select().from(conversations).where(eq(conversations.id, conversationId)),
        'conversation',
      );
      const payload = messageCreated.payloadSchema.parse({
        message: await messageSnapshotOf(db, message),
        conversation: await snapshotOfRow(db, conversation),
      });
      return { message, conversation, payload };
    },
  };
}

/** A value as JSON carries it: dates as text, no undefined fields. */
export const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
