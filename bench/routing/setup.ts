import type { Db } from '../../src/platform/db/database.js';
import { createAccount } from '../../src/core/identity/accounts.js';
import {
  addQueueMembers,
  createQueue,
  offeringAlgorithms,
  setAgentCapacity,
  setQueueUsages,
} from '../../src/core/routing/index.js';
import { routingFixture } from '../../src/core/routing/routing-test-kit.js';
import type { ChannelType } from '../../src/core/inboxes/inboxes.tables.js';
import type { Random } from './random.js';

export interface BenchTopology {
  accountId: number;
  /** One inbox per queue; conversations arrive on these. */
  inboxes: { id: number; queueId: number; channel: ChannelType }[];
  agentIds: number[];
  /** queue id → algorithm, to know which queues are one at a time. */
  algorithms: Map<number, string>;
}

/** Every fifth queue is voice (capacity 1), every fifth (shifted) email; the rest web chat. */
function channelOf(index: number): ChannelType {
  if (index % 5 === 0) return 'voice';
  if (index % 5 === 1) return 'email';
  return 'web_widget';
}

/**
 * 200 agents over 20 queues, the six algorithms in turn, each agent a member of 2–3 queues with a
 * random tier, capacities mixed (chat 2–6, email 3–8, voice 1).
 */
export async function createTopology(
  db: Db,
  random: Random,
  options: { agents: number; queues: number; offerTimeoutSeconds: number },
): Promise<BenchTopology> {
  const account = await createAccount(db, { name: `Routing bench ${Date.now()}` }, { type: 'system' });
  const accountId = account.id;
  const fixture = routingFixture(db, accountId);
  const agentIds: number[] = [];
  for (let index = 0; index < options.agents; index += 1) {
    const agent = await fixture.agent({ name: `Bench agent ${index}` });
    agentIds.push(agent.id);
    await setAgentCapacity(db, {
      accountId,
      userId: agent.id,
      channel: 'web_widget',
      capacity: random.int(2, 6),
    });
    await setAgentCapacity(db, { accountId, userId: agent.id, channel: 'email', capacity: random.int(3, 8) });
  }
  const inboxes: BenchTopology['inboxes'] = [];
  const algorithms = new Map<number, string>();
  const queueIds: number[] = [];
  for (let index = 0; index < options.queues; index += 1) {
    const algorithm = offeringAlgorithms[index % offeringAlgorithms.length] ?? 'AllAtOnce';
    const queue = await createQueue(
      db,
      {
        accountId,
        name: `Queue ${index} (${algorithm})`,
        priority: index % 3,
        isDefault: index === 0,
        isDoNotOfferEnabled: false,
        callFunctionality: channelOf(index) === 'voice',
        offeringAlgorithm: algorithm,
        offerTimeout: options.offerTimeoutSeconds,
        // Alerts are measured on every sweep tick and the preferred agent looked up on every offer:
        // both on, so their cost is in the figures.
        queueThresholds: { SlaTimeLimit: 60, WaitingConversations: 25, LongestWait: 300, AvailableAgents: 2 },
        isPreferredAgentEnabled: true,
        preferredAgentTimeouts: { WidgetChat: 30, Email: 600, PstnPhone: 20 },
      },
      { type: 'system' },
    );
    queueIds.push(queue.id);
    algorithms.set(queue.id, algorithm);
    const channel = channelOf(index);
    const inbox = await fixture.inbox(channel);
    await setQueueUsages(db, { accountId, queueId: queue.id, inboxIds: [inbox.id] }, { type: 'system' });
    inboxes.push({ id: inbox.id, queueId: queue.id, channel });
  }
  for (const [index, userId] of agentIds.entries()) {
    const count = random.int(2, 3);
    const chosen = new Set<number>([queueIds[index % queueIds.length] ?? 0]);
    while (chosen.size < count) chosen.add(random.pick(queueIds));
    for (const queueId of chosen) {
      await addQueueMembers(
        db,
        { accountId, queueId, members: [{ userId, priority: random.int(1, 3) }] },
        { type: 'system' },
      );
    }
  }
  return { accountId, inboxes, agentIds, algorithms };
}
