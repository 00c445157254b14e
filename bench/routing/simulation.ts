import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../src/platform/db/database.js';
import { DomainError } from '../../src/platform/errors.js';
import { conversations } from '../../src/core/conversations/conversations.tables.js';
import { toggleConversationStatus } from '../../src/core/conversations/update-conversation.js';
import { acceptOffer } from '../../src/core/routing/index.js';
import { routingOfferAgents, routingOffers } from '../../src/core/routing/routing.tables.js';
import { routingFixture } from '../../src/core/routing/routing-test-kit.js';
import type { BenchTopology } from './setup.js';
import type { Random } from './random.js';

export interface SimulationOptions {
  conversations: number;
  /** Simulated seconds per real second. */
  speedup: number;
  daySeconds: number;
  /** Share of offers an agent lets expire instead of answering. */
  missRate: number;
  /** Called once, when this share of the conversations has arrived (the crash run kills the worker). */
  onProgress?: { at: number; run: () => Promise<void> };
}

export interface SimulationLedger {
  created: number[];
  accepted: number;
  conflicts: number;
  missed: number;
  closedByAgent: number;
  abandonedByCustomer: number;
  errors: string[];
}

/** Arrivals over the day with a midday peak: density ∝ 0.25 + sin²(π·t/day), by rejection sampling. */
function arrivalTimes(random: Random, count: number, daySeconds: number): number[] {
  const times: number[] = [];
  while (times.length < count) {
    const t = random.next() * daySeconds;
    if (random.next() * 1.25 <= 0.25 + Math.sin((Math.PI * t) / daySeconds) ** 2) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

const MAX_CREATING = 4;

/** Drizzle wraps the driver's error: its SQLSTATE and message are on the cause. */
function describeError(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ? `${String(error)} [${cause.code}: ${cause.message ?? ''}]` : String(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plays the day: customers open conversations at their arrival time (and give up after their
 * patience if nobody took them), agents answer offers after a human delay (or miss some) and close
 * conversations after a handling time. Simulated durations are divided by the speed-up.
 */
export async function simulateDay(
  db: Db,
  topology: BenchTopology,
  random: Random,
  options: SimulationOptions,
): Promise<SimulationLedger> {
  const ledger: SimulationLedger = {
    created: [],
    accepted: 0,
    conflicts: 0,
    missed: 0,
    closedByAgent: 0,
    abandonedByCustomer: 0,
    errors: [],
  };
  const { accountId } = topology;
  const fixture = routingFixture(db, accountId);
  const real = (simSeconds: number) => (simSeconds * 1000) / options.speedup;
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const guarded = work.catch((error: unknown) => ledger.errors.push(describeError(error)));
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
  };
  const later = (ms: number, work: () => Promise<unknown>) => track(sleep(ms).then(work));
  const resolve = (conversationId: number, actor: { type: 'user'; id: number } | { type: 'contact' }) =>
    db.transaction((tx) =>
      toggleConversationStatus(tx, { accountId, conversationId, status: 'resolved', actor }),
    );

  const seen = new Set<string>();
  const arriving = { isOn: true };
  const agentLoop = (async () => {
    while (arriving.isOn || pending.size > 0) {
      const offered = await db
        .select({
          offerId: routingOfferAgents.offerId,
          userId: routingOfferAgents.userId,
          conversationId: routingOffers.conversationId,
        })
        .from(routingOfferAgents)
        .innerJoin(routingOffers, eq(routingOffers.id, routingOfferAgents.offerId))
        .where(and(eq(routingOfferAgents.accountId, accountId), eq(routingOfferAgents.state, 'pending')));
      for (const offer of offered) {
        const key = `${offer.offerId}:${offer.userId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (random.next() < options.missRate) {
          ledger.missed += 1;
          continue;
        }
        later(real(random.between(1, 15)), async () => {
          try {
            await acceptOffer(db, {
              accountId,
              offerId: offer.offerId,
              agentUserId: offer.userId,
              actor: { type: 'user', id: offer.userId },
            });
          } catch (error) {
            if (error instanceof DomainError && error.code === 'CONFLICT') {
              ledger.conflicts += 1;
              return;
            }
            throw error;
          }
          ledger.accepted += 1;
          later(real(random.between(180, 900)), async () => {
            await resolve(offer.conversationId, { type: 'user', id: offer.userId });
            ledger.closedByAgent += 1;
          });
        });
      }
      await sleep(50);
    }
  })();

  const creating = { count: 0 };
  const started = Date.now();
  const arrivals = arrivalTimes(random, options.conversations, options.daySeconds);
  let progressDone = false;
  for (const [index, simTime] of arrivals.entries()) {
    const due = started + real(simTime);
    if (due > Date.now()) await sleep(due - Date.now());
    if (options.onProgress && !progressDone && index >= options.conversations * options.onProgress.at) {
      progressDone = true;
      track(options.onProgress.run());
    }
    const inbox = random.pick(topology.inboxes);
    const patience = real(random.between(120, 1800));
    // Customers arrive independently, but the driver opens at most a few conversations at once:
    // they share the account's display-id counter, and a pile-up would only measure the driver.
    while (creating.count >= MAX_CREATING) await sleep(2);
    creating.count += 1;
    track(
      fixture.conversation(inbox.id).then((conversation) => {
        creating.count -= 1;
        ledger.created.push(conversation.id);
        later(patience, async () => {
          const [row] = await db
            .select({ status: conversations.status, assigneeId: conversations.assigneeId })
            .from(conversations)
            .where(and(eq(conversations.accountId, accountId), inArray(conversations.id, [conversation.id])));
          if (row?.status !== 'open' || row.assigneeId !== null) return;
          await resolve(conversation.id, { type: 'contact' });
          ledger.abandonedByCustomer += 1;
        });
      }),
    );
  }
  arriving.isOn = false;
  while (pending.size > 0) await Promise.all([...pending]);
  await agentLoop;
  return ledger;
}
