import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { accountUsers, users } from '../../core/identity/identity.tables.js';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { loadConversationSnapshots } from '../../core/conversations/conversation-snapshots.js';
import type { ConversationSnapshot } from '../../core/conversations/conversations.events.js';

/**
 * Builds a known reporting history: real rows (agents, inboxes, conversations) and domain events
 * with chosen times written straight into the outbox, for the real relay to hand to the consumer.
 */
export interface Queue {
  id: number;
  uuid: string;
  name: string;
}

export async function seedAgentRow(
  db: Db,
  accountId: number,
  name: string,
): Promise<{ id: number; uuid: string }> {
  const [user] = await db
    .insert(users)
    .values({ name, email: `${randomUUID()}@example.com` })
    .returning({ id: users.id, uuid: users.uuid });
  if (!user) throw new Error('no user');
  await db.insert(accountUsers).values({ accountId, userId: user.id, role: 'agent' });
  return user;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} missing`);
  return value;
}

export async function seedConversationRows(
  db: Db,
  accountId: number,
  specs: { channelType: 'email' | 'web_widget'; direction?: 'inbound' | 'outbound' }[],
): Promise<ConversationSnapshot[]> {
  const inboxIds = new Map<string, number>();
  for (const channelType of new Set(specs.map((spec) => spec.channelType))) {
    const [inbox] = await db
      .insert(inboxes)
      .values({ accountId, name: channelType, channelType, identifier: randomUUID() })
      .returning({ id: inboxes.id });
    inboxIds.set(channelType, required(inbox, 'inbox').id);
  }
  const [contactRow] = await db
    .insert(contacts)
    .values({ accountId, name: 'Jane' })
    .returning({ id: contacts.id });
  const contact = required(contactRow, 'contact');
  const existing = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.accountId, accountId));
  const rows = await db
    .insert(conversations)
    .values(
      specs.map((spec, index) => ({
        accountId,
        displayId: existing.length + index + 1,
        inboxId: required(inboxIds.get(spec.channelType), 'inbox'),
        contactId: contact.id,
        direction: spec.direction ?? 'inbound',
      })),
    )
    .returning({ id: conversations.id });
  const snapshots = await loadConversationSnapshots(
    db,
    accountId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => required(snapshots.get(row.id), 'snapshot'));
}

/** Events of a story, written in time order so the relay sees them as they happened. */
export class Story {
  private readonly items: {
    type: string;
    at: Date;
    payload: Record<string, unknown>;
    conversation: ConversationSnapshot;
  }[] = [];

  constructor(private readonly accountId: number) {}

  add(type: string, at: Date, conversation: ConversationSnapshot, extra: Record<string, unknown> = {}): this {
    this.items.push({ type, at, conversation, payload: { conversation, ...extra } });
    return this;
  }

  message(
    at: Date,
    conversation: ConversationSnapshot,
    message: { type: string; isPrivate?: boolean; senderType: string; senderId: number | null },
  ): this {
    return this.add('message.created', at, conversation, {
      message: {
        id: Math.floor(Math.random() * 1e9),
        messageType: message.type,
        private: message.isPrivate ?? false,
        senderType: message.senderType,
        senderId: message.senderId,
      },
    });
  }

  status(at: Date, conversation: ConversationSnapshot, status: string, previousStatus: string): this {
    return this.add('conversation.status_changed', at, { ...conversation, status }, { previousStatus });
  }

  async write(db: Db): Promise<void> {
    const sorted = [...this.items].sort((a, b) => a.at.getTime() - b.at.getTime());
    await db.insert(events).values(
      sorted.map((item) => ({
        accountId: this.accountId,
        type: item.type,
        aggregateType: 'conversation',
        aggregateId: String(item.conversation.id),
        payload: item.payload,
        occurredAt: item.at,
      })),
    );
  }
}

export const minutes = (base: Date, count: number) => new Date(base.getTime() + count * 60_000);
