import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import type { ConversationRow } from './conversations.tables.js';
import { createMessage, type CreateMessageInput } from './create-message.js';
import { createMessageIfUnchanged } from './create-message-if-unchanged.js';
import { loadSenderSnapshot } from './message-snapshots.js';
import { lockConversationForMessage, readConversationForMessage } from './lock-for-message.js';
import { asJson, insertMessageWorld } from './message-test-kit.js';

/**
 * createMessage writes the message.created event beside the conversation's update, from the row
 * it expects the update to leave (most messages), or after it (a contact's message). The message
 * route writes most messages without a lock, from the row as it read it. Every way, the event
 * must show exactly what a fresh read of the message and the conversation shows.
 */
describe(`message.created matches what was written (${backendName})`, () => {
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
  const cases: [string, Partial<ConversationRow>, Input][] = [
    ['an agent reply', {}, { messageType: 'outgoing', content: 'On it', sender: { type: 'user', id: 0 } }],
    ['a bot reply', {}, { messageType: 'outgoing', content: 'Beep', sender: { type: 'agent_bot', id: 0 } }],
    ['an API reply with no sender', {}, { messageType: 'outgoing', content: 'Sent', sender: null }],
    [
      'an incoming message with no sender on an open conversation',
      {},
      { messageType: 'incoming', content: 'Hi', sender: null },
    ],
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
    const { agentId, botId, contactId, memberId } = world;
    const ids = { user: agentId, agent_bot: botId, contact: sender.id === -1 ? memberId : contactId };
    return { type: sender.type, id: ids[sender.type] };
  }

  type Writer = 'createMessage' | 'the route' | 'the route without a lock';

  /**
   * Each case is written three ways: locked by createMessage; locked by the message route's lock,
   * which also reads the relations, draws the message's id and reads the sender beforehand; and
   * as the route writes most messages, from the conversation as it read it without a lock
   * (`createMessageIfUnchanged`), falling back to its lock for what that leaves. With what the
   * route read, a message with no echo or source id, no files and no contact sender is written
   * from the row it expects; the others take the usual path with what was read.
   */
  const byWriter = cases.flatMap(([name, values, input]) =>
    (['createMessage', 'the route', 'the route without a lock'] as const).map(
      (writer) => [name, writer, values, input] as const,
    ),
  );

  async function write(writer: Writer, conversation: ConversationRow, input: Input) {
    const { accountId } = world;
    const common = {
      ...input,
      accountId,
      conversationId: conversation.id,
      actor: { type: 'system' as const },
    };
    const senderForSnapshot = input.sender?.type === 'contact' ? null : input.sender;
    if (
      writer === 'the route without a lock' &&
      !input.attachments?.length &&
      input.sender?.type !== 'contact'
    ) {
      const [read, sender] = await Promise.all([
        readConversationForMessage(db, accountId, conversation.displayId),
        loadSenderSnapshot(db, accountId, senderForSnapshot),
      ]);
      const snapshot = await createMessageIfUnchanged(db, read, { ...common, prepared: { ...read, sender } });
      if (snapshot) return { id: snapshot.id, drawnId: read.messageId, snapshot, locked: null };
    }
    let drawnId: number | undefined;
    const created = await db.transaction(async (tx) => {
      if (writer === 'createMessage') return createMessage(tx, common);
      const [locked, sender] = await Promise.all([
        lockConversationForMessage(tx, accountId, conversation.displayId),
        loadSenderSnapshot(tx, accountId, senderForSnapshot),
      ]);
      drawnId = locked.messageId;
      return createMessage(tx, {
        ...common,
        lockedConversation: locked.conversation,
        prepared: { ...locked, sender },
      });
    });
    return { id: created.message.id, drawnId, snapshot: created.snapshot, locked: created };
  }

  it.each(byWriter)('%s, written by %s', async (_name, writer, conversationValues, caseInput) => {
    const conversation = await world.conversationWith(conversationValues);
    const input = { ...caseInput, sender: senderOf(caseInput.sender) };
    const written = await write(writer, conversation, input);
    const fromRead =
      writer !== 'createMessage' && input.sender?.type !== 'contact' && !input.attachments?.length;
    const unlocked =
      writer === 'the route without a lock' &&
      fromRead &&
      input.messageType !== 'activity' &&
      !['snoozed', 'resolved'].includes(conversation.status);
    // The message took the id drawn for it exactly when it was written from the expected row,
    // and was written without the lock exactly when that leaves no second event to record.
    expect(written.id === written.drawnId).toBe(fromRead);
    expect(written.locked === null).toBe(unlocked);

    const { message, conversation: after, payload } = await world.freshRead(written.id, conversation.id);
    const [event, ...more] = await world.eventsOf(written.id);
    expect(more).toHaveLength(0);
    expect(asJson(event?.payload)).toEqual(asJson(payload));
    expect(asJson(written.snapshot)).toEqual(asJson(payload.message));
    if (written.locked) {
      expect(written.locked.conversation).toEqual(after);
      expect(written.locked.message).toEqual(message);
    }
    // The case changed what it says it changes (a copy of the old row would not pass).
    if (input.messageType !== 'activity') {
      expect(after.lastNonActivityMessageId).toBe(written.id);
      expect(after.lastActivityAt).toEqual(message.createdAt);
      expect(after.updatedAt.getTime()).toBeGreaterThan(conversation.updatedAt.getTime() - 1);
    }
    const isIncoming = input.messageType === 'incoming' && !input.private;
    expect(after.unreadCount).toBe(isIncoming ? 3 : 2);
    if (input.messageType === 'outgoing' && !input.private && input.sender?.type !== 'agent_bot') {
      expect(after.waitingSince).toBeNull();
    }
  });
});
