import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { conversations, messages, type ConversationRow } from './conversations.tables.js';
import { createMessage, type CreateMessageInput } from './create-message.js';
import { createMessageIfUnchanged } from './create-message-if-unchanged.js';
import { loadSenderSnapshot } from './message-snapshots.js';
import { readConversationForMessage } from './lock-for-message.js';
import { insertMessageWorld } from './message-test-kit.js';

/**
 * The message route writes most messages without a lock: one statement that applies only to the
 * conversation as it was read. What it writes is checked beside the locked writes in
 * message-created-event.test.ts; here, that it writes nothing at all when the conversation
 * changed in between, or when the message would change the conversation's status.
 */
describe(`a message written from the conversation as it was read (${backendName})`, () => {
  let testDb: TestDatabase;
  let db: Db;
  let world: Awaited<ReturnType<typeof insertMessageWorld>>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    world = await insertMessageWorld(db);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  type Input = Omit<CreateMessageInput, 'accountId' | 'conversationId' | 'actor'>;

  /** Reads the conversation as the route does, then lets `between` change things before the write. */
  async function writeUnlocked(
    conversation: ConversationRow,
    input: Input,
    between: () => Promise<unknown> = () => Promise.resolve(),
  ) {
    const { accountId } = world;
    const [read, sender] = await Promise.all([
      readConversationForMessage(db, accountId, conversation.displayId),
      loadSenderSnapshot(db, accountId, input.sender),
    ]);
    await between();
    const snapshot = await createMessageIfUnchanged(db, read, {
      ...input,
      accountId,
      conversationId: conversation.id,
      actor: { type: 'system' },
      prepared: { ...read, sender },
    });
    return { snapshot, drawnId: read.messageId };
  }

  it('writes nothing when the conversation changed after it was read, and the locked write then counts both', async () => {
    const conversation = await world.conversationWith();
    const other = (content: string) =>
      db.transaction((tx) =>
        createMessage(tx, {
          accountId: world.accountId,
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
    expect(await world.eventsOf(drawnId)).toHaveLength(0);
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
    const conversation = await world.conversationWith({ status: 'resolved' });
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
