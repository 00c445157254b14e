import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { insertAccount, insertContact, insertConversation, insertInbox } from '../filters/filter-test-kit.js';
import { conversations, messages, type ConversationRow } from './conversations.tables.js';
import { messageCreated } from './conversations.events.js';
import { createMessage, type CreateMessageInput } from './create-message.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import { loadSenderSnapshot, messageSnapshotOf } from './message-snapshots.js';
import { lockConversationForMessage } from './lock-for-message.js';

/**
 * createMessage writes the message.created event beside the conversation's update, from the row
 * it expects the update to leave (most messages), or after it (a contact's message). Either way
 * the event must show exactly what a fresh read of the message and the conversation shows.
 */
describe(`message.created matches what was written (${backendName})`, () => {
  let testDb: TestDatabase;
  let db: Db;
  let accountId: number;
  let inboxId: number;
  let agentId: number;
  let botId: number;
  let contactId: number;
  let memberId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    accountId = await insertAccount(db);
    inboxId = await insertInbox(db, accountId);
    const [agent] = await db
      .insert(users)
      .values({ name: 'Ann', displayName: 'Ann B.', email: 'ann@example.com' })
      .returning();
    agentId = agent!.id;
    await db.insert(accountUsers).values({ accountId, userId: agentId, role: 'agent', availability: 'busy' });
    const [bot] = await db
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
    botId = bot!.id;
    contactId = (await insertContact(db, accountId, { name: 'Carl', email: 'carl@example.com' })).id;
    memberId = (await insertContact(db, accountId, { name: 'Dora', phoneNumber: '+15550001111' })).id;
  });
  afterAll(async () => {
    await testDb.drop();
  });

  async function conversationWith(values: Partial<ConversationRow>): Promise<ConversationRow> {
    return insertConversation(db, {
      accountId,
      inboxId,
      contactId,
      assigneeId: agentId,
      waitingSince: new Date('2026-01-01T10:00:00.123Z'),
      unreadCount: 2,
      ...values,
    });
  }

  type Input = Omit<CreateMessageInput, 'accountId' | 'conversationId' | 'actor'>;
  const cases: [string, Partial<ConversationRow>, Input][] = [
    ['an agent reply', {}, { messageType: 'outgoing', content: 'On it', sender: { type: 'user', id: 0 } }],
    ['a bot reply', {}, { messageType: 'outgoing', content: 'Beep', sender: { type: 'agent_bot', id: 0 } }],
    [
      'a private note',
      { status: 'pending' },
      { messageType: 'outgoing', content: 'Note', private: true, sender: { type: 'user', id: 0 } },
    ],
    [
      'an API reply with attachments',
      { firstReplyCreatedAt: new Date('2026-01-01T11:00:00Z') },
      {
        messageType: 'outgoing',
        content: null,
        sender: null,
        attachments: [
          { contentType: 'image/png', fileName: 'b.png', blobKey: 'blob-b', byteSize: 10 },
          { contentType: 'application/pdf', fileName: 'a.pdf', blobKey: 'blob-a', byteSize: 20 },
        ],
      },
    ],
    [
      'an incoming message with no sender, reopening a snoozed conversation',
      { status: 'snoozed', snoozedUntil: new Date('2030-01-01T00:00:00Z'), waitingSince: null },
      { messageType: 'incoming', content: 'Anyone?', sender: null },
    ],
    [
      "the contact's message, reopening a resolved conversation",
      { status: 'resolved' },
      { messageType: 'incoming', content: 'Hello again', sender: { type: 'contact', id: 0 } },
    ],
    [
      "another contact's message (a group member)",
      {},
      { messageType: 'incoming', content: 'Me too', sender: { type: 'contact', id: -1 } },
    ],
    [
      'an activity line',
      {},
      { messageType: 'activity', content: 'Ann self-assigned this conversation', sender: null },
    ],
  ];

  /** The sender ids are known once the rows exist: 0 stands for the case's usual one, -1 for the member. */
  function senderOf(sender: Input['sender']): Input['sender'] {
    if (!sender) return null;
    const ids = { user: agentId, agent_bot: botId, contact: sender.id === -1 ? memberId : contactId };
    return { type: sender.type, id: ids[sender.type] };
  }

  /**
   * Each case is written twice: locked by createMessage, and locked by the message route's lock,
   * which also reads the relations, draws the message's id and reads the sender beforehand. With
   * those, a message with no echo or source id and no files is written in one round trip from the
   * row it expects; the others take the usual path with what was read.
   */
  const byCaller = cases.flatMap(([name, values, input]) =>
    (['createMessage', 'the route'] as const).map((locker) => [name, locker, values, input] as const),
  );

  it.each(byCaller)('%s, locked by %s', async (_name, locker, conversationValues, input) => {
    const conversation = await conversationWith(conversationValues);
    const sender = senderOf(input.sender);
    let drawnId: number | undefined;
    const created = await db.transaction(async (tx) => {
      const common = {
        ...input,
        sender,
        accountId,
        conversationId: conversation.id,
        actor: { type: 'system' as const },
      };
      if (locker === 'createMessage') return createMessage(tx, common);
      const [locked, senderSnapshot] = await Promise.all([
        lockConversationForMessage(tx, accountId, conversation.displayId),
        loadSenderSnapshot(tx, accountId, sender?.type === 'contact' ? null : sender),
      ]);
      drawnId = locked.messageId;
      return createMessage(tx, {
        ...common,
        lockedConversation: locked.conversation,
        prepared: { ...locked, sender: senderSnapshot },
      });
    });
    const oneRoundTrip = locker === 'the route' && sender?.type !== 'contact' && !input.attachments?.length;
    // The message took the id drawn for it exactly when it was written from the expected row.
    expect(created.message.id === drawnId).toBe(oneRoundTrip);

    const [message] = await db.select().from(messages).where(eq(messages.id, created.message.id));
    const [after] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    const [event] = await db
      .select()
      .from(events)
      .where(
        and(
          eq(events.accountId, accountId),
          eq(events.type, messageCreated.type),
          eq(events.aggregateId, String(created.message.id)),
        ),
      );
    const expected = messageCreated.payloadSchema.parse({
      message: await messageSnapshotOf(db, message!),
      conversation: await snapshotOfRow(db, after!),
    });
    const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    expect(json(event?.payload)).toEqual(json(expected));
    expect(json(created.snapshot)).toEqual(json(expected.message));
    expect(created.conversation).toEqual(after);
    expect(created.message).toEqual(message);
    // The case changed what it says it changes (a copy of the old row would not pass).
    if (input.messageType !== 'activity') {
      expect(after!.lastNonActivityMessageId).toBe(created.message.id);
      expect(after!.updatedAt.getTime()).toBeGreaterThan(conversation.updatedAt.getTime() - 1);
    }
  });
});
