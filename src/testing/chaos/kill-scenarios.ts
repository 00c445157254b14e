import { postMessage, type ChaosTenant } from './chaos-client.js';
import { slow, type ChaosReceiver } from './chaos-receiver.js';
import type { ParleyProcess } from './parley-process.js';
import { attachReceiver, waitUntil } from './webhook-scenarios.js';
import { reconcileWrites, runWriteBurst, type WriteReconciliation } from './write-burst.js';

export interface EventReconciliation {
  /** Acknowledged writes whose `message.created` webhook never arrived within the wait. Must be 0. */
  lostEvents: number;
  /** Deliveries the receiver answered 2xx more than once (at-least-once: allowed, deduped by webhook-id). */
  redelivered: number;
  /** From the restarted server being ready to every event delivered. */
  deliveredWithinMs: number;
}

async function reconcileEvents(
  receiver: ChaosReceiver,
  expected: Set<string>,
  readyAt: number,
  timeoutMs: number,
): Promise<EventReconciliation> {
  const isComplete = () => [...expected].every((echoId) => receiver.deliveredEchoIds().has(echoId));
  await waitUntil(isComplete, timeoutMs);
  const delivered = receiver.deliveredEchoIds();
  const lastArrival = Math.max(
    readyAt,
    ...receiver.arrivals
      .filter((arrival) => arrival.echoId && expected.has(arrival.echoId))
      .map((a) => a.receivedAt),
  );
  return {
    lostEvents: [...expected].filter((echoId) => !delivered.has(echoId)).length,
    redelivered: receiver.duplicateDeliveries(),
    deliveredWithinMs: lastArrival - readyAt,
  };
}

export interface KillDuringWritesReport extends WriteReconciliation, EventReconciliation {}

/**
 * Writers post messages; the server is killed with SIGKILL once `killAfterAcks` writes are
 * acknowledged, restarted, and every write and its webhook event is accounted for.
 */
export async function killDuringWrites(
  parley: ParleyProcess,
  tenant: ChaosTenant,
  options: { writers: number; writesPerWriter: number; killAfterAcks: number; eventWaitMs: number },
): Promise<KillDuringWritesReport> {
  const { receiver } = await attachReceiver(parley, tenant, () => ({ status: 200 }));
  try {
    let isKilled = false;
    const burst = runWriteBurst(parley, tenant, {
      writers: options.writers,
      writesPerWriter: options.writesPerWriter,
      prefix: 'burst',
      shouldStop: (ledger) => {
        if (!isKilled && ledger.acknowledged.size >= options.killAfterAcks) {
          isKilled = true;
          void parley.kill();
        }
        return false;
      },
    });
    const ledger = await burst;
    await parley.kill();
    await parley.start();
    const readyAt = Date.now();
    const writes = await reconcileWrites(parley, tenant, ledger);
    const expected = new Set([...ledger.acknowledged, ...ledger.uncertain]);
    const events = await reconcileEvents(receiver, expected, readyAt, options.eventWaitMs);
    return { ...writes, ...events };
  } finally {
    await receiver.close();
  }
}

export interface KillDuringDeliveryReport extends EventReconciliation {
  events: number;
  inFlightAtKill: number;
  /** From the restarted server being ready to the deliveries cut off by the kill arriving. */
  inFlightRecoveredWithinMs: number;
}

/**
 * A slow receiver keeps deliveries in flight; the server is killed while they are, restarted, and
 * the time until every event is delivered is measured (a lease left by the dead process must not
 * hold them for its full length).
 */
export async function killDuringDelivery(
  parley: ParleyProcess,
  tenant: ChaosTenant,
  options: { events: number; receiverDelayMs: number; eventWaitMs: number },
): Promise<KillDuringDeliveryReport> {
  const { receiver } = await attachReceiver(parley, tenant, slow(options.receiverDelayMs));
  try {
    const expected = new Set<string>();
    for (let n = 0; n < options.events; n += 1) {
      const echoId = `in-flight-${n}`;
      const answer = await postMessage(parley.baseUrl, tenant, echoId);
      if (answer.status >= 300) throw new Error(`message ${echoId} answered ${answer.status}`);
      expected.add(echoId);
    }
    // Generous: on a loaded CI machine the first delivery can take a while to start.
    const isInFlight = await waitUntil(() => receiver.attempts.length > receiver.arrivals.length, 60_000);
    if (!isInFlight)
      throw new Error('no webhook delivery was in flight within 60 s, so none could be cut off');
    await parley.kill();
    const delivered = new Set(receiver.arrivals.map((arrival) => arrival.deliveryId));
    const cutOff = new Set(
      receiver.attempts.map((attempt) => attempt.deliveryId).filter((id) => !delivered.has(id)),
    );
    await parley.start();
    const readyAt = Date.now();
    const isRecovered = () => {
      const arrived = new Set(receiver.arrivals.map((arrival) => arrival.deliveryId));
      return [...cutOff].every((id) => arrived.has(id));
    };
    await waitUntil(isRecovered, options.eventWaitMs);
    const inFlightRecoveredWithinMs = Date.now() - readyAt;
    const events = await reconcileEvents(receiver, expected, readyAt, options.eventWaitMs);
    return { events: options.events, inFlightAtKill: cutOff.size, inFlightRecoveredWithinMs, ...events };
  } finally {
    await receiver.close();
  }
}
