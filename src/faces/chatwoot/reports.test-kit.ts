import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { labels } from '../../core/labels/labels.tables.js';
import { teams } from '../../core/teams/teams.tables.js';
import { loadConversationSnapshots } from '../../core/conversations/conversation-snapshots.js';
import type { ConversationSnapshot } from '../../core/conversations/conversations.events.js';

/**
 * Builds a known report history: real rows (inboxes, teams, labels, conversations in their final
 * state, created when the story says) and domain events with chosen times written into the outbox,
 * for the real relay to hand to the reporting consumer.
 */
export async function seedInboxRow(
  db: Db,
  accountId: number,
  name: string,
  channelType: 'web_widget' | 'email',
) {
  const [row] = await db
    .insert(inboxes)
    .values({ accountId, name, channelType, identifier: randomUUID() })
    .returning({ id: inboxes.id });
  return must(row).id;
}

export async function seedTeamRow(db: Db, accountId: number, name: string) {
  const [row] = await db.insert(teams).values({ accountId, name }).returning({ id: teams.id });
  return must(row).id;
}

export async function seedLabelRow(db: Db, accountId: number, name: string) {
  const [row] = await db.insert(labels).values({ accountId, name }).returning({ id: labels.id });
  return must(row).id;
}

export interface ConversationSpec {
  displayId: number;
  inboxId: number;
  createdAt: Date;
  status: 'open' | 'resolved' | 'pending' | 'snoozed';
  assigneeId?: number | null;
  teamId?: number | null;
  labels?: string[];
  firstReplyCreatedAt?: Date | null;
}

export async function seedConversations(
  db: Db,
  accountId: number,
  specs: ConversationSpec[],
): Promise<ConversationSnapshot[]> {
  const [contact] = await db
    .insert(contacts)
    .values({ accountId, name: 'Jane' })
    .returning({ id: contacts.id });
  const rows = await db
    .insert(conversations)
    .values(
      specs.map((spec) => ({
        accountId,
        displayId: spec.displayId,
        inboxId: spec.inboxId,
        contactId: must(contact).id,
        status: spec.status,
        assigneeId: spec.assigneeId ?? null,
        teamId: spec.teamId ?? null,
        labels: spec.labels ?? [],
        firstReplyCreatedAt: spec.firstReplyCreatedAt ?? null,
        createdAt: spec.createdAt,
        lastActivityAt: spec.createdAt,
      })),
    )
    .returning({ id: conversations.id });
  const snapshots = await loadConversationSnapshots(
    db,
    accountId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => must(snapshots.get(row.id)));
}

type Sender = { senderType: 'contact' | 'user' | 'agent_bot'; senderId: number };

/** Events of a story, written in time order so the relay sees them as they happened. */
export class Story {
  private readonly items: { type: string; at: Date; payload: Record<string, unknown>; id: number }[] = [];

  constructor(private readonly accountId: number) {}

  private add(type: string, at: Date, conversation: ConversationSnapshot, extra: Record<string, unknown>) {
    this.items.push({ type, at, id: conversation.id, payload: { conversation, ...extra } });
    return this;
  }

  created(at: string, conversation: ConversationSnapshot): this {
    return this.add('conversation.created', new Date(at), { ...conversation, status: 'open' }, {});
  }

  message(
    at: string,
    conversation: ConversationSnapshot,
    type: 'incoming' | 'outgoing',
    sender: Sender,
    isPrivate = false,
  ): this {
    return this.add('message.created', new Date(at), conversation, {
      message: { id: Math.floor(Math.random() * 1e9), messageType: type, private: isPrivate, ...sender },
    });
  }

  resolved(at: string, conversation: ConversationSnapshot): this {
    return this.add(
      'conversation.status_changed',
      new Date(at),
      { ...conversation, status: 'resolved' },
      {
        previousStatus: 'open',
      },
    );
  }

  async write(db: Db): Promise<void> {
    const sorted = [...this.items].sort((a, b) => a.at.getTime() - b.at.getTime());
    await db.insert(events).values(
      sorted.map((item) => ({
        accountId: this.accountId,
        type: item.type,
        aggregateType: 'conversation',
        aggregateId: String(item.id),
        payload: item.payload,
        occurredAt: item.at,
      })),
    );
  }
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing row');
  return value;
}
