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
import { agentAvailability } from './eligibility.js';

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

/** Offer to this agent alone, the offer lasting `offerSeconds`. */
export interface Reservation {
  userId: number;
  offerSeconds: number;
}

export interface Narrowed {
  candidates: Candidate[];
  /** A personal transfer or the end user's preferred agent who can take it now. */
  reservedFor: Reservation | null;
  /** Milliseconds the conversation still waits for its reserved agent, offered to nobody else. */
  holdMs: number | null;
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
 * it again for the channel's timeout. Then a reserved agent, if any, comes before the queue's
 * algorithm (see `reservationOf`).
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
  const reserved = await reservationOf(tx, context);
  return { candidates: pool, ...reserved };
}

/** How long a conversation is kept for one agent, by whether that agent is online. */
interface Claim {
  userId: number;
  onlineWindowMs: number;
  offlineWindowMs: number;
  /** The reserved offer's length: null means the rest of the online window. */
  offerSeconds: number | null;
}

/**
 * A conversation transferred to an agent personally is theirs while they are online (offered for
 * the queue's offer timeout), and waits `personalAgentOfflineTimeout` for them while they are
 * offline. With preferred agent on, the agent who last took a conversation of this end user from a
 * queue gets it alone for the channel's `preferredAgentTimeouts` (the offer lasts the rest of that
 * window), and while that agent is offline it waits `preferredAgentOfflineTimeout` for them. Both
 * windows run from the enqueue; once the agent refused it (declined or let the offer expire) or the
 * window is over, the queue's algorithm decides. A reserved agent online but at capacity or wrapping
 * up is waited for within the online window.
 */
async function reservationOf(
  tx: Db,
  context: OfferContext,
): Promise<Pick<Narrowed, 'reservedFor' | 'holdMs'>> {
  const none = { reservedFor: null, holdMs: null };
  const claim = await claimOf(tx, context);
  if (!claim || context.entry.triedUserIds.includes(claim.userId)) return none;
  const { isOnline, candidate } = await agentAvailability(tx, {
    accountId: context.entry.accountId,
    userId: claim.userId,
    channel: context.channel,
  });
  const remainingMs =
    (isOnline ? claim.onlineWindowMs : claim.offlineWindowMs) - (await waitedMs(tx, context.entry));
  if (remainingMs <= 0) return none;
  if (!candidate) return { reservedFor: null, holdMs: remainingMs };
  const offerSeconds = claim.offerSeconds ?? Math.max(1, Math.ceil(remainingMs / 1000));
  return { reservedFor: { userId: claim.userId, offerSeconds }, holdMs: null };
}

async function claimOf(tx: Db, context: OfferContext): Promise<Claim | null> {
  const { queue, entry } = context;
  if (entry.personalUserId !== null) {
    return {
      userId: entry.personalUserId,
      onlineWindowMs: Number.POSITIVE_INFINITY,
      offlineWindowMs: (queue.personalAgentOfflineTimeout ?? 0) * 1000,
      offerSeconds: queue.offerTimeout,
    };
  }
  const preferredSeconds = queue.isPreferredAgentEnabled
    ? secondsFor(queue.preferredAgentTimeouts, context)
    : 0;
  if (preferredSeconds === 0) return null;
  const preferred = await preferredAgentOf(tx, context.conversation);
  if (preferred === null) return null;
  return {
    userId: preferred,
    onlineWindowMs: preferredSeconds * 1000,
    offlineWindowMs: (queue.preferredAgentOfflineTimeout ?? 0) * 1000,
    offerSeconds: null,
  };
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
