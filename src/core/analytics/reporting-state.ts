import { and, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { conversations } from '../conversations/conversations.tables.js';
import { reportingConversations } from './analytics.tables.js';

/** What the consumer tracks of one conversation between its events (see reportingConversations). */
export interface ConversationState {
  accountId: number;
  conversationId: number;
  channel: string;
  direction: 'INBOUND' | 'OUTBOUND';
  openedAt: Date;
  waitingSince: Date | null;
  queueId: number | null;
  agentId: number | null;
  assignedAt: Date | null;
  firstResponseAt: Date | null;
  replyWaitingSince: Date | null;
  lastEventId: number;
}

export interface StateBook {
  states: Map<number, ConversationState>;
  /** Directions of conversations without a state yet, read from their rows. */
  directions: Map<number, 'INBOUND' | 'OUTBOUND'>;
  changed: Set<number>;
}

const directionOf = (value: string): 'INBOUND' | 'OUTBOUND' =>
  value === 'outbound' ? 'OUTBOUND' : 'INBOUND';

/** Loads the states of a batch's conversations, and the directions of those seen for the first time. */
export async function loadStates(
  db: Db,
  accountIds: number[],
  conversationIds: number[],
): Promise<StateBook> {
  const book: StateBook = { states: new Map(), directions: new Map(), changed: new Set() };
  if (conversationIds.length === 0) return book;
  const rows = await db
    .select()
    .from(reportingConversations)
    .where(
      and(
        inArray(reportingConversations.accountId, accountIds),
        inArray(reportingConversations.conversationId, conversationIds),
      ),
    );
  for (const row of rows) {
    book.states.set(row.conversationId, {
      ...row,
      direction: row.direction === 'OUTBOUND' ? 'OUTBOUND' : 'INBOUND',
    });
  }
  const missing = conversationIds.filter((id) => !book.states.has(id));
  if (missing.length > 0) {
    const found = await db
      .select({ id: conversations.id, direction: conversations.direction })
      .from(conversations)
      .where(and(inArray(conversations.accountId, accountIds), inArray(conversations.id, missing)));
    for (const row of found) book.directions.set(row.id, directionOf(row.direction));
  }
  return book;
}

/** Writes the states the batch changed, in one statement. */
export async function saveStates(db: Db, book: StateBook): Promise<void> {
  const rows = [...book.changed]
    .sort((a, b) => a - b)
    .flatMap((id) => {
      const state = book.states.get(id);
      if (!state) return [];
      return [
        {
          account_id: state.accountId,
          conversation_id: state.conversationId,
          channel: state.channel,
          direction: state.direction,
          opened_at: state.openedAt.toISOString(),
          waiting_since: state.waitingSince?.toISOString() ?? null,
          queue_id: state.queueId,
          agent_id: state.agentId,
          assigned_at: state.assignedAt?.toISOString() ?? null,
          first_response_at: state.firstResponseAt?.toISOString() ?? null,
          reply_waiting_since: state.replyWaitingSince?.toISOString() ?? null,
          last_event_id: state.lastEventId,
        },
      ];
    });
  if (rows.length === 0) return;
  await db.execute(sql`
    INSERT INTO reporting_conversations (account_id, conversation_id, channel, direction, opened_at,
      waiting_since, queue_id, agent_id, assigned_at, first_response_at, reply_waiting_since, last_event_id)
    SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(account_id bigint,
      conversation_id bigint, channel text, direction text, opened_at timestamptz, waiting_since timestamptz,
      queue_id bigint, agent_id bigint, assigned_at timestamptz, first_response_at timestamptz,
      reply_waiting_since timestamptz, last_event_id bigint)
    ON CONFLICT (account_id, conversation_id) DO UPDATE SET channel = excluded.channel,
      direction = excluded.direction, opened_at = excluded.opened_at, waiting_since = excluded.waiting_since,
      queue_id = excluded.queue_id, agent_id = excluded.agent_id, assigned_at = excluded.assigned_at,
      first_response_at = excluded.first_response_at, reply_waiting_since = excluded.reply_waiting_since,
      last_event_id = greatest(reporting_conversations.last_event_id, excluded.last_event_id), updated_at = now()`);
}
