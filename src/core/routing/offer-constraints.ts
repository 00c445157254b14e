import { and, desc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { conversations, type ConversationRow } from '../conversations/conversations.tables.js';
import { dixaChannelOf } from '../conversations/conversation-channels.js';
import type { ChannelType } from '../inboxes/inboxes.tables.js';
import {
  routingEntries,
  routingOfferAgents,
  routingOffers,
  type EntryRow,
  type QueueRow,
} from './routing.tables.js';
import type { Candidate } from './offering-algorithms.js';
import { waitedMs } from './entries.js';

/*
 * The queue settings that narrow whom an offer may go to, beyond membership, presence and
 * capacity. Dixa keys them by conversation channel (WidgetChat, Email, …), in seconds.
 */

export interface OfferContext {
  queue: QueueRow;
  entry: EntryRow;
  conversation: ConversationRow;
  channel: ChannelType;
}

export interface Narrowed {
  candidates: Candidate[];
  /** Set while the preferred agent's window is open and that agent can take it: offer to them alone. */
  preferredUserId: number | null;
}

function secondsFor(settings: Record<string, number> | null, context: OfferContext): number {
  if (!settings) return 0;
  const channel = dixaChannelOf({
    channelType: context.channel,
    additionalAttributes: context.conversation.additionalAttributes,
  });
  return Math.max(0, settings[channel] ?? 0);
}

/**
 * Do-not-offer: an agent who declined this conversation or let an offer of it expire is not offered
 * it again for the channel's timeout. Preferred agent: for the channel's timeout after enqueue, the
 * agent who last took a conversation of this end user is offered it first, and alone (once per stay
 * in the queue; if that agent cannot take it now, the queue's algorithm decides at once).
 */
export async function narrowCandidates(
  tx: Db,
  context: OfferContext,
  candidates: Candidate[],
): Promise<Narrowed> {
  const { queue, conversation } = context;
  let pool = candidates;
  const doNotOfferSeconds = queue.isDoNotOfferEnabled ? secondsFor(queue.doNotOfferTimeouts, context) : 0;
  if (doNotOfferSeconds > 0 && pool.length > 0) {
    const refused = await refusedWithin(tx, conversation, doNotOfferSeconds);
    pool = pool.filter((candidate) => !refused.has(candidate.userId));
  }
  const preferredSeconds = queue.isPreferredAgentEnabled
    ? secondsFor(queue.preferredAgentTimeouts, context)
    : 0;
  if (
    preferredSeconds === 0 ||
    pool.length === 0 ||
    (await waitedMs(tx, context.entry)) >= preferredSeconds * 1000
  ) {
    return { candidates: pool, preferredUserId: null };
  }
  const preferred = await preferredAgentOf(tx, conversation);
  const isAvailable =
    preferred !== null &&
    !context.entry.triedUserIds.includes(preferred) &&
    pool.some((candidate) => candidate.userId === preferred);
  return { candidates: pool, preferredUserId: isAvailable ? preferred : null };
}

/** Agents who declined or let expire an offer of this conversation within the last `seconds`. */
async function refusedWithin(tx: Db, conversation: ConversationRow, seconds: number): Promise<Set<number>> {
  const rows = await tx
    .selectDistinct({ userId: routingOfferAgents.userId })
    .from(routingOfferAgents)
    .innerJoin(
      routingOffers,
      and(
        eq(routingOffers.accountId, routingOfferAgents.accountId),
        eq(routingOffers.id, routingOfferAgents.offerId),
      ),
    )
    .where(
      and(
        eq(routingOffers.accountId, conversation.accountId),
        eq(routingOffers.conversationId, conversation.id),
        inArray(routingOfferAgents.state, ['declined', 'expired']),
        gt(routingOfferAgents.respondedAt, sql`clock_timestamp() - ${seconds}::int * interval '1 second'`),
      ),
    );
  return new Set(rows.map((row) => row.userId));
}

/** The agent who most recently took a conversation of this end user from a queue (this one included). */
async function preferredAgentOf(tx: Db, conversation: ConversationRow): Promise<number | null> {
  const [row] = await tx
    .select({ userId: routingEntries.assignedUserId })
    .from(routingEntries)
    .innerJoin(
      conversations,
      and(
        eq(conversations.accountId, routingEntries.accountId),
        eq(conversations.id, routingEntries.conversationId),
      ),
    )
    .where(
      and(
        eq(routingEntries.accountId, conversation.accountId),
        eq(conversations.contactId, conversation.contactId),
        eq(routingEntries.state, 'assigned'),
        isNotNull(routingEntries.assignedUserId),
      ),
    )
    .orderBy(desc(routingEntries.endedAt), desc(routingEntries.id))
    .limit(1);
  return row?.userId ?? null;
}
