import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accountUsers } from '../identity/identity.tables.js';
import { createUser } from '../identity/users.js';
import { addMember } from '../identity/members.js';
import { createInbox } from '../inboxes/create-inbox.js';
import type { ChannelType } from '../inboxes/inboxes.tables.js';
import { createContact } from '../contacts/contacts.js';
import { createConversation } from '../conversations/create-conversation.js';
import type { ConversationRow } from '../conversations/conversations.tables.js';
import { waitFor } from '../../testing/wait.js';
import { routingOfferAgents, routingOffers } from './routing.tables.js';
import { addQueueMembers, createQueue, setQueueUsages, type QueueSettings } from './index.js';

const SYSTEM = { type: 'system' } as const;
let sequence = 0;

/**
 * Small factories for routing tests and the routing benchmark: agents, inboxes, conversations,
 * queues fed by a fresh inbox, and a conversation's offers with the agents each went to.
 */
export function routingFixture(db: Db, accountId: number) {
  const fixture = {
    async agent(options: { availability?: 'online' | 'busy' | 'offline'; name?: string } = {}) {
      sequence += 1;
      const tag = `${process.pid}-${Date.now()}-${sequence}`;
      const user = await createUser(db, {
        name: options.name ?? `Agent ${tag}`,
        email: `agent-${tag}@routing.test`,
      });
      await addMember(db, { accountId, userId: user.id, role: 'agent' }, SYSTEM);
      await setAvailability(db, accountId, user.id, options.availability ?? 'online');
      return user;
    },
    async inbox(channelType: ChannelType = 'web_widget') {
      sequence += 1;
      return createInbox(
        db,
        { accountId, name: `Inbox ${sequence}`, channelType, enableAutoAssignment: false },
        SYSTEM,
      );
    },
    async conversation(inboxId: number): Promise<ConversationRow> {
      sequence += 1;
      return db.transaction(async (tx) => {
        const contact = await createContact(tx, { accountId, name: `Customer ${sequence}`, actor: SYSTEM });
        return createConversation(tx, { accountId, inboxId, contactId: contact.id, actor: SYSTEM });
      });
    },
    async queueWith(memberIds: number[], settings: Partial<QueueSettings>) {
      const queue = await createQueue(
        db,
        {
          accountId,
          name: `Queue ${Date.now()}`,
          isDefault: false,
          isDoNotOfferEnabled: false,
          callFunctionality: false,
          offerTimeout: 60,
          ...settings,
        },
        SYSTEM,
      );
      const inbox = await fixture.inbox();
      await setQueueUsages(db, { accountId, queueId: queue.id, inboxIds: [inbox.id] }, SYSTEM);
      await addQueueMembers(
        db,
        {
          accountId,
          queueId: queue.id,
          members: memberIds.map((userId) => ({ userId })),
        },
        SYSTEM,
      );
      return { queue, inbox };
    },
    async offersOf(conversationId: number) {
      const offers = await db
        .select()
        .from(routingOffers)
        .where(and(eq(routingOffers.accountId, accountId), eq(routingOffers.conversationId, conversationId)))
        .orderBy(asc(routingOffers.id));
      const agents = offers.length
        ? await db
            .select()
            .from(routingOfferAgents)
            .where(
              inArray(
                routingOfferAgents.offerId,
                offers.map((offer) => offer.id),
              ),
            )
        : [];
      return offers.map((offer) => ({
        ...offer,
        agentIds: agents
          .filter((agent) => agent.offerId === offer.id)
          .map((agent) => agent.userId)
          .sort((a, b) => a - b),
      }));
    },
    /** Waits for the conversation's `count`th offer. */
    offer(conversationId: number, count = 1, timeoutMs?: number) {
      return waitFor(
        async () => {
          const offers = await fixture.offersOf(conversationId);
          return offers.length >= count ? offers[count - 1] : undefined;
        },
        {
          what: `offer ${count} of conversation ${conversationId}`,
          ...(timeoutMs !== undefined && { timeoutMs }),
        },
      );
    },
  };
  return fixture;
}

/**
 * Sets availability without an event, as a bench or test that drives many agents wants; the
 * member.updated path is covered by the identity core and the routing consumer tests.
 */
export async function setAvailability(
  db: Db,
  accountId: number,
  userId: number,
  availability: 'online' | 'busy' | 'offline',
): Promise<void> {
  await db
    .update(accountUsers)
    .set({ availability, updatedAt: sql`now()` })
    .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)));
}
