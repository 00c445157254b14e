import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { insertAccount, insertContact, insertConversation, insertInbox } from '../filters/filter-test-kit.js';
import { conversations, messages, type ConversationRow } from './conversations.tables.js';
import { messageCreated } from './conversations.events.js';
import { createMessage, type CreateMessageInput } from './create-message.js';
import { createMessageIfUnchanged } from './create-message-if-unchanged.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import { loadSenderSnapshot, messageSnapshotOf } from './message-snapshots.js';
import { readConversationForMessage } from './lock-for-message.js';

/**
 * The message route writes most messages without a lock: one statement that applies only to the
 * conversation as it was read. It must leave exactly what the locked write leaves, and nothing at
 * all when the conversation changed in between.
 */
describe(`a message written from the conversation as it was read (${backendName})`, () => {
  let testDb: TestDatabase;
  let db: Db;
  let accountId: number;
  let inboxId: number;
  let agentId: number;
  let contactId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    accountId = await insertAccount(db);
    inboxId = await insertInbox(db, accountId);
    const [agent] = await db.insert(users).values({ name: 'Ann', email: 'ann@example.com' }).returning();
    agentId = agent!.id;
    await db.insert(accountUsers).values({ accountId, userId: agentId, role: 'agent' });
    contactId = (await insertContact(db, accountId, { name: 'Carl' })).id;
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const conversationWith = (values: Partial<ConversationRow> = {}) =>
    insertConversation(db, {
      accountId,
      inboxId,
      contactId,
      assigneeId: agentId,
      waitingSince: new Date('2026-01-01T10:00:00.123Z'),
      unreadCount: 2,
      ...values,
    });

  type Input = Omit<CreateMessageInput, 'accountId' | 'conversationId' | 'actor' | 'sender'>;

  /** Reads the conversation as the route does, then lets `between` change things before the write. */
  async function writeUnlocked(
    conversation: ConversationRow,
    input: Input & { sender?: CreateMessageInput['sender'] },
    between: () => Promise<unknown> = () => Promise.resolve(),
  ) {
    const sender = input.sender === undefined ? { type: 'user' as const, id: agentId } : input.sender;
    const [read, senderSnapshot] = await Promise.all([
      readConversationForMessage(db, accountId, conversation.displayId),
      loadSenderSnapshot(db, accountId, sender),
    ]);
    await between();
    const snapshot = await createMessageIfUnchanged(db, read, {
      ...input,
      sender,
      accountId,
      conversationId: conversation.id,
      actor: { type: 'system' },
      prepared: { ...read, sender: senderSnapshot },
    });
    return { snapshot, drawnId: read.messageId };
  }

  const eventsOf = async (messageId: number) =>
    db
      .select()
      .from(events)
      .where(
        and(
          eq(events.accountId, accountId),
          eq(events.type, messageCreated.type),
          eq(events.aggregateId, String(messageId)),
        ),
      );

  it.each([
    ['an agent reply', { messageType: 'outgoing', content: 'On it' }],
    ['a private note', { messageType: 'outgoing', content: 'Note', private: true }],
    ['an API reply with no sender', { messageType: 'outgoing', content: 'Sent', sender: null }],
    ['an incoming message on an open conversation', { messageType: 'incoming', content: 'Hi', sender: null }],
  ] as [string, Input & { sender?: null }][])(
    '%s: the event and the answer show what a fresh read shows',
    async (_name, input) => {
      const conversation = await conversationWith();
      const { snapshot, drawnId } = await writeUnlocked(conversation, input);
      expect(snapshot?.id).toBe(drawnId);

      const [message] = await db.select().from(messages).where(eq(messages.id, drawnId));
      const [after] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
      const expected = messageCreated.payloadSchema.parse({
        message: await messageSnapshotOf(db, message!),
        conversation: await snapshotOfRow(db, after!),
      });
      const [event, ...more] = await eventsOf(drawnId);
      const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
      expect(more).toHaveLength(0);
      expect(json(event?.payload)).toEqual(json(expected));
      expect(json(snapshot)).toEqual(json(expected.message));
      // What the message changes on its conversation was written.
      expect(after!.lastNonActivityMessageId).toBe(drawnId);
      expect(after!.lastActivityAt).toEqual(message!.createdAt);
      expect(after!.unreadCount).toBe(input.messageType === 'incoming' ? 3 : 2);
      expect(after!.waitingSince === null).toBe(input.messageType === 'outgoing' && !input.private);
    },
  );

  it('writes nothing when the conversation changed after it was read, and the locked write then counts both', async () => {
    const conversation = await conversationWith();
    const other = (content: string) =>
      db.transaction((tx) =>
        createMessage(tx, {
          accountId,
          conversationId: conversation.id,
          messageType: 'incoming',
          content,
          sender: null,
          actor: { type: 'system' },
        }),
      );
    const { snapshot, drawnId } = await writeUnlocked(
      conversation,
      { messageType: 'incoming', content: 'Second', sender: null },
      () => other('First'),
    );
    expect(snapshot).toBeNull();
    expect(await db.select().from(messages).where(eq(messages.id, drawnId))).toHaveLength(0);
    expect(await eventsOf(drawnId)).toHaveLength(0);
    const [row] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(row!.unreadCount).toBe(3);

    // The caller's fallback: the same message under the lock.
    await other('Second');
    const [after] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(after!.unreadCount).toBe(4);
    const [{ stored }] = (await db
      .select({ stored: count() })
      .from(messages)
      .where(eq(messages.conversationId, conversation.id))) as [{ stored: number }];
    expect(stored).toBe(2);
  });

  it('leaves a message that reopens its conversation to the locked write (it records a status change too)', async () => {
    const conversation = await conversationWith({ status: 'resolved' });
    const { snapshot, drawnId } = await writeUnlocked(conversation, {
      messageType: 'incoming',
      content: 'Hello again',
      sender: null,
    });
    expect(snapshot).toBeNull();
    expect(await db.select().from(messages).where(eq(messages.id, drawnId))).toHaveLength(0);
    const [row] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(row!.status).toBe('resolved');
  });
});
