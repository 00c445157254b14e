import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { conversations, messages } from '../conversations/conversations.tables.js';
import { headline, textQuery } from './text-query.js';

/** Inner hits shown per conversation; a conversation that says the word a hundred times shows the first few. */
export const MAX_INNER_HITS = 10;

export interface MessageHit {
  messageUuid: string;
  highlight: string;
}

export interface ConversationHit {
  conversationId: number;
  /** The per-account number clients address the conversation by. */
  displayId: number;
  messageHits: MessageHit[];
}

export interface SearchConversationsInput {
  accountId: number;
  text: string;
  isExactMatch: boolean;
  limit: number;
  /** Keyset position: conversations older (`next`) or newer (`previous`) than this conversation id. */
  after?: { conversationId: number; direction: 'next' | 'previous' } | undefined;
}

export interface SearchConversationsPage {
  hits: ConversationHit[];
  /** Conversation id to continue after, when another page exists in that direction. */
  next: number | null;
  previous: number | null;
}

/**
 * The messages that match, in one account. Both conditions are answered by the composite GIN
 * index (account_id, content_tsv); activity lines and deleted messages are not what people search.
 */
function matchingMessages(accountId: number, query: SQL): SQL | undefined {
  return and(
    eq(messages.accountId, accountId),
    sql`${messages.contentTsv} @@ ${query}`,
    ne(messages.messageType, 'activity'),
    sql`${messages.deletedAt} IS NULL`,
  );
}

/** Conversations whose messages contain the text, newest conversation first, with the messages that matched. */
export async function searchConversations(
  db: Db,
  input: SearchConversationsInput,
): Promise<SearchConversationsPage> {
  const query = textQuery(input.text, { isExact: input.isExactMatch });
  const isBackward = input.after?.direction === 'previous';
  const position = input.after
    ? isBackward
      ? sql`${conversations.id} > ${input.after.conversationId}`
      : sql`${conversations.id} < ${input.after.conversationId}`
    : undefined;
  const rows = await db
    .select({ id: conversations.id, displayId: conversations.displayId })
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, input.accountId),
        inArray(
          conversations.id,
          db
            .select({ id: messages.conversationId })
            .from(messages)
            .where(matchingMessages(input.accountId, query)),
        ),
        position,
      ),
    )
    .orderBy(isBackward ? sql`${conversations.id} ASC` : sql`${conversations.id} DESC`)
    .limit(input.limit + 1);
  const hasMore = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  if (isBackward) page.reverse();
  const first = page.at(0);
  const last = page.at(-1);
  const messageHits = await loadMessageHits(
    db,
    input.accountId,
    query,
    page.map((row) => row.id),
  );
  return {
    hits: page.map((row) => ({
      conversationId: row.id,
      displayId: row.displayId,
      messageHits: messageHits.get(row.id) ?? [],
    })),
    next: last && (isBackward ? input.after !== undefined : hasMore) ? last.id : null,
    previous: first && (isBackward ? hasMore : input.after !== undefined) ? first.id : null,
  };
}

/** The first matching messages of each conversation on the page, with their snippets (one query). */
async function loadMessageHits(
  db: Db,
  accountId: number,
  query: SQL,
  conversationIds: number[],
): Promise<Map<number, MessageHit[]>> {
  if (conversationIds.length === 0) return new Map();
  const ranked = db
    .select({
      conversationId: messages.conversationId,
      uuid: messages.uuid,
      content: messages.content,
      rank: sql<number>`row_number() OVER (PARTITION BY ${messages.conversationId} ORDER BY ${messages.id})`.as(
        'rank',
      ),
    })
    .from(messages)
    .where(and(matchingMessages(accountId, query), inArray(messages.conversationId, conversationIds)))
    .as('ranked');
  const rows = await db
    .select({
      conversationId: ranked.conversationId,
      uuid: ranked.uuid,
      highlight: headline(sql`${ranked.content}`, query),
    })
    .from(ranked)
    .where(sql`${ranked.rank} <= ${MAX_INNER_HITS}`)
    .orderBy(ranked.conversationId, ranked.rank);
  const hits = new Map<number, MessageHit[]>();
  for (const row of rows) {
    const list = hits.get(row.conversationId) ?? [];
    list.push({ messageUuid: row.uuid, highlight: row.highlight });
    hits.set(row.conversationId, list);
  }
  return hits;
}
