import { and, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import { conversations } from '../conversations/conversations.tables.js';
import { activityLog, type NewActivityLogRow } from './activity-log.tables.js';
import { conversationIdOf, draftsOf, type ConversationFacts } from './activity-drafts.js';

// Well under PostgreSQL's 65,535 bind parameters per statement (12 columns a row).
const ROWS_PER_INSERT = 2000;

/** The conversations a batch is about that still exist, with what the mapping needs of them. */
async function loadFacts(tx: Db, batch: EventRow[]): Promise<Map<number, ConversationFacts>> {
  const ids = [...new Set(batch.map(conversationIdOf).filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const accountIds = [...new Set(batch.map((event) => event.accountId))];
  const rows = await tx
    .select({ id: conversations.id, accountId: conversations.accountId, direction: conversations.direction })
    .from(conversations)
    .where(and(inArray(conversations.accountId, accountIds), inArray(conversations.id, ids)));
  return new Map(rows.map((row) => [row.id, { accountId: row.accountId, direction: row.direction }]));
}

/**
 * Writes the activity log from the outbox: one read of the conversations involved and one insert
 * per relay batch. Idempotent by (event id, position in the event), so a batch the relay hands
 * over again adds nothing. Events about a conversation deleted since are dropped: their rows would
 * go with it anyway.
 */
export function createActivityLogConsumer(): EventConsumer {
  return {
    name: 'activity-log',
    async handle(tx, batch) {
      const facts = await loadFacts(tx, batch);
      if (facts.size === 0) return;
      const rows: NewActivityLogRow[] = [];
      for (const event of batch) {
        const drafts = draftsOf(event, (id) => facts.get(id));
        drafts.forEach((draft, index) => {
          if (facts.get(draft.conversationId)?.accountId !== event.accountId) return;
          rows.push({
            accountId: event.accountId,
            conversationId: draft.conversationId,
            activityType: draft.activityType,
            occurredAt: event.occurredAt,
            authorType: draft.author?.type ?? null,
            authorId: draft.author?.id ?? null,
            attributes: draft.attributes,
            sourceEventId: event.id,
            sourceIndex: index,
          });
        });
      }
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        await tx
          .insert(activityLog)
          .values(rows.slice(start, start + ROWS_PER_INSERT))
          .onConflictDoNothing();
      }
    },
  };
}
