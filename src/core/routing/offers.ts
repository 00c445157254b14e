import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { lockConversation } from '../conversations/conversations.js';
import { toggleConversationStatus } from '../conversations/update-conversation.js';
import { snapshotOfRow } from '../conversations/conversation-snapshots.js';
import { conversations } from '../conversations/conversations.tables.js';
import { endEntry } from './entries.js';
import {
  routingEntries,
  routingOfferAgents,
  routingOffers,
  type EntryRow,
  type OfferRow,
} from './routing.tables.js';
import {
  conversationClaimed,
  conversationOfferAccepted,
  conversationOfferDeclined,
  conversationOfferExpired,
} from './routing.events.js';
import { getQueueById, queueRefOf } from './queues.js';
import { offerEntry, tryLockAccountRouting } from './dispatch.js';
import { touchAgents } from './eligibility.js';
import { setAssignee } from './assign-agent.js';
import { scheduleOfferExpiry, scheduleQueueDispatch, scheduleRetry } from './routing.jobs.js';

const remainingMsOf =
  sql`greatest(0, extract(epoch FROM ${routingOffers.expiresAt} - clock_timestamp()) * 1000)::float8`.mapWith(
    Number,
  );

const offerGone = () => new DomainError('CONFLICT', 'This offer is no longer open');

async function findOffer(tx: Db, accountId: number, offerId: number): Promise<OfferRow> {
  const [offer] = await tx
    .select()
    .from(routingOffers)
    .where(and(eq(routingOffers.accountId, accountId), eq(routingOffers.id, offerId)));
  if (!offer) throw notFound('Offer');
  return offer;
}

async function lockEntry(tx: Db, accountId: number, entryId: number): Promise<EntryRow> {
  const [entry] = await tx
    .select()
    .from(routingEntries)
    .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.id, entryId)))
    .for('update');
  if (!entry) throw notFound('Offer');
  return entry;
}

/** The agent's answer slot in the offer, which must still be pending. */
async function pendingAgent(tx: Db, offer: OfferRow, agentUserId: number): Promise<void> {
  const [row] = await tx
    .select({ state: routingOfferAgents.state })
    .from(routingOfferAgents)
    .where(
      and(
        eq(routingOfferAgents.accountId, offer.accountId),
        eq(routingOfferAgents.offerId, offer.id),
        eq(routingOfferAgents.userId, agentUserId),
      ),
    );
  if (!row) throw notFound('Offer');
  if (offer.state !== 'open' || row.state !== 'pending') throw offerGone();
}

async function answer(tx: Db, offer: OfferRow, agentUserId: number, state: 'accepted' | 'declined') {
  await tx
    .update(routingOfferAgents)
    .set({ state, respondedAt: sql`clock_timestamp()` })
    .where(
      and(
        eq(routingOfferAgents.accountId, offer.accountId),
        eq(routingOfferAgents.offerId, offer.id),
        eq(routingOfferAgents.userId, agentUserId),
      ),
    );
}

/**
 * Accept = claim. The conversation row is locked first and then the entry (the order every
 * routing writer uses), and the offer is re-read under those locks: of two agents accepting at
 * once, the second finds it closed and gets CONFLICT.
 */
export async function acceptOffer(
  db: Db,
  input: { accountId: number; offerId: number; agentUserId: number; actor: Actor },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { accountId } = input;
    const unlocked = await findOffer(tx, accountId, input.offerId);
    const conversation = await lockConversation(tx, accountId, unlocked.conversationId);
    const entry = await lockEntry(tx, accountId, unlocked.entryId);
    const offer = await findOffer(tx, accountId, input.offerId);
    await pendingAgent(tx, offer, input.agentUserId);
    if (conversation.assigneeId !== null && conversation.assigneeId !== input.agentUserId) throw offerGone();
    await answer(tx, offer, input.agentUserId, 'accepted');
    await tx
      .update(routingOffers)
      .set({ state: 'accepted', acceptedUserId: input.agentUserId, closedAt: sql`clock_timestamp()` })
      .where(and(eq(routingOffers.accountId, accountId), eq(routingOffers.id, offer.id)));
    await endEntry(tx, entry, 'assigned', { assignedUserId: input.agentUserId });
    await touchAgents(tx, accountId, [input.agentUserId]);
    const assigned = await setAssignee(tx, conversation, input.agentUserId, input.actor);
    // An abandoned conversation the queue still offered comes back open: the agent follows it up.
    const after =
      assigned.status === 'open'
        ? assigned
        : await toggleConversationStatus(tx, {
            accountId,
            conversationId: assigned.id,
            status: 'open',
            actor: input.actor,
          });
    const queue = queueRefOf(await getQueueById(tx, accountId, entry.queueId));
    const snapshot = await snapshotOfRow(tx, after);
    const base = { accountId, aggregateId: after.id, actor: input.actor };
    await recordEvent(tx, conversationOfferAccepted, {
      ...base,
      payload: { conversation: snapshot, queue, offerId: offer.id, agentId: input.agentUserId },
    });
    await recordEvent(tx, conversationClaimed, {
      ...base,
      payload: {
        conversation: snapshot,
        queue,
        agentId: input.agentUserId,
        fromAgentId: conversation.assigneeId,
      },
    });
  });
}

/** Declining frees the agent; once every agent of the offer has declined, the entry moves on. */
export async function declineOffer(
  db: Db,
  input: { accountId: number; offerId: number; agentUserId: number; actor: Actor },
): Promise<void> {
  await db.transaction(async (tx) => {
    const { accountId } = input;
    const unlocked = await findOffer(tx, accountId, input.offerId);
    const entry = await lockEntry(tx, accountId, unlocked.entryId);
    const offer = await findOffer(tx, accountId, input.offerId);
    await pendingAgent(tx, offer, input.agentUserId);
    await answer(tx, offer, input.agentUserId, 'declined');
    await touchAgents(tx, accountId, [input.agentUserId]);
    const [stillPending] = await tx
      .select({ userId: routingOfferAgents.userId })
      .from(routingOfferAgents)
      .where(
        and(
          eq(routingOfferAgents.accountId, accountId),
          eq(routingOfferAgents.offerId, offer.id),
          eq(routingOfferAgents.state, 'pending'),
        ),
      )
      .limit(1);
    if (!stillPending) await reopenEntry(tx, entry, offer, 'declined');
    const [conversation] = await loadConversation(tx, entry);
    if (conversation) {
      await recordEvent(tx, conversationOfferDeclined, {
        accountId,
        aggregateId: conversation.id,
        payload: {
          conversation: await snapshotOfRow(tx, conversation),
          queue: queueRefOf(await getQueueById(tx, accountId, entry.queueId)),
          offerId: offer.id,
          agentId: input.agentUserId,
        },
        actor: input.actor,
      });
    }
    if (!stillPending) await scheduleQueueDispatch(tx, accountId, entry.queueId);
    // The agent has a free slot again, which another queue's waiting conversation may use.
    await scheduleRetry(tx, accountId, { isDeduplicated: true });
  });
}

function loadConversation(tx: Db, entry: EntryRow) {
  return tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, entry.accountId), eq(conversations.id, entry.conversationId)));
}

/** Closes the offer and puts the entry back to waiting, for the next offer. */
async function reopenEntry(tx: Db, entry: EntryRow, offer: OfferRow, state: 'declined' | 'expired') {
  await tx
    .update(routingOffers)
    .set({ state, closedAt: sql`clock_timestamp()` })
    .where(and(eq(routingOffers.accountId, offer.accountId), eq(routingOffers.id, offer.id)));
  await tx
    .update(routingEntries)
    .set({ state: 'waiting', updatedAt: sql`now()` })
    .where(and(eq(routingEntries.accountId, entry.accountId), eq(routingEntries.id, entry.id)));
}

/**
 * The expiry job: an offer still open at its deadline expires, its pending agents are freed and
 * the entry is offered on at once (same transaction, under the account lock).
 */
export async function expireOffer(tx: Db, accountId: number, offerId: number): Promise<void> {
  await tryLockAccountRouting(tx, accountId);
  const [unlocked] = await tx
    .select()
    .from(routingOffers)
    .where(and(eq(routingOffers.accountId, accountId), eq(routingOffers.id, offerId)));
  if (!unlocked || unlocked.state !== 'open') return;
  const entry = await lockEntry(tx, accountId, unlocked.entryId);
  const offer = await findOffer(tx, accountId, offerId);
  if (offer.state !== 'open') return;
  const [due] = await tx
    .select({ remainingMs: remainingMsOf })
    .from(routingOffers)
    .where(and(eq(routingOffers.accountId, accountId), eq(routingOffers.id, offerId)));
  // Job and database clocks can disagree by a few ms: not due yet means try again at the deadline.
  if (due && due.remainingMs > 0) {
    await scheduleOfferExpiry(tx, { accountId, offerId, delayMs: Math.ceil(due.remainingMs) });
    return;
  }
  const expired = await tx
    .update(routingOfferAgents)
    .set({ state: 'expired', respondedAt: sql`clock_timestamp()` })
    .where(
      and(
        eq(routingOfferAgents.accountId, accountId),
        eq(routingOfferAgents.offerId, offerId),
        eq(routingOfferAgents.state, 'pending'),
      ),
    )
    .returning({ userId: routingOfferAgents.userId });
  const agentIds = expired.map((row) => row.userId);
  await touchAgents(tx, accountId, agentIds);
  await reopenEntry(tx, entry, offer, 'expired');
  const [conversation] = await loadConversation(tx, entry);
  if (conversation) {
    await recordEvent(tx, conversationOfferExpired, {
      accountId,
      aggregateId: conversation.id,
      payload: {
        conversation: await snapshotOfRow(tx, conversation),
        queue: queueRefOf(await getQueueById(tx, accountId, entry.queueId)),
        offerId,
        agentIds,
      },
      actor: { type: 'system' },
    });
  }
  await offerEntry(tx, accountId, entry.id);
}
