import { and, asc, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, Db } from '../db/database.js';
import { queryRows } from '../db/database.js';
import type { Logger } from '../logger.js';
import { EVENTS_CHANNEL } from './outbox.js';
import { events, type EventRow } from './events.tables.js';

/**
 * A consumer runs inside the relay's transaction: it must be quick and only write
 * (e.g. enqueue delivery jobs), so its work commits atomically with the dispatch mark.
 */
export interface EventConsumer {
  name: string;
  handle(tx: Db, batch: EventRow[]): Promise<void>;
}

/** Called after the dispatch commits; for ephemeral fan-out such as real-time pushes. */
export type DispatchedListener = (batch: EventRow[]) => void | Promise<void>;

export interface EventRelayOptions {
  database: Database;
  consumers: EventConsumer[];
  onDispatched?: DispatchedListener[];
  logger: Logger;
  batchSize?: number;
  pollMs?: number;
}

// Only one relay in the cluster dispatches at a time: that keeps events in id order,
// which is commit order for any one aggregate because writers lock the aggregate's row.
const RELAY_LOCK_KEY = 7_214_993_002;
const DEFAULT_BATCH_SIZE = 200;

export class EventRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeRequested = false;
  private stopped = true;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly options: EventRelayOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.unlisten = await this.options.database.listen(EVENTS_CHANNEL, () => this.wake());
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.unlisten?.();
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * Dispatches pending events until none remain; returns how many were dispatched. A batch short
   * of the batch size took every event there was, so the drain ends there rather than with a
   * transaction that finds none: an event committed since comes with its own wake-up.
   */
  async drain(): Promise<number> {
    const { batchSize = DEFAULT_BATCH_SIZE } = this.options;
    let total = 0;
    for (;;) {
      const count = await this.dispatchBatch();
      total += count;
      if (count < batchSize) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.loop().finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        const again = this.wakeRequested;
        this.wakeRequested = false;
        this.schedule(again ? 0 : (this.options.pollMs ?? 1000));
      });
    }, delayMs);
  }

  private async loop(): Promise<void> {
    try {
      await this.drain();
    } catch (error) {
      this.options.logger.error({ err: error }, 'event relay failed; will retry');
    }
  }

  private async dispatchBatch(): Promise<number> {
    const { database, consumers, batchSize = DEFAULT_BATCH_SIZE } = this.options;
    const batch = await database.db.transaction(async (tx) => {
      const [lock] = await queryRows<{ locked: boolean }>(
        tx,
        sql`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}) AS locked`,
      );
      if (!lock?.locked) return { dispatched: 0, live: [] };
      const pending = await tx
        .select()
        .from(events)
        .where(isNull(events.dispatchedAt))
        .orderBy(asc(events.id))
        .limit(batchSize);
      if (pending.length === 0) return { dispatched: 0, live: [] };
      const live = await eventsOfLiveAccounts(tx, pending);
      for (const consumer of consumers) if (live.length > 0) await consumer.handle(tx, live);
      await tx
        .update(events)
        .set({ dispatchedAt: sql`now()` })
        .where(
          and(
            inArray(
              events.id,
              pending.map((row) => row.id),
            ),
            isNull(events.dispatchedAt),
          ),
        );
      return { dispatched: pending.length, live };
    });
    if (batch.live.length > 0) await this.notifyDispatched(batch.live);
    return batch.dispatched;
  }

  private async notifyDispatched(batch: EventRow[]): Promise<void> {
    for (const listener of this.options.onDispatched ?? []) {
      try {
        await listener(batch);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'dispatched-event listener failed');
      }
    }
  }
}

/**
 * The batch's events whose account still exists, their accounts share-locked until the relay
 * commits. An account deleted while its events wait has nobody left to consume them, and the rows
 * consumers write (audit, reporting, webhooks) would break its foreign keys and fail the whole batch
 * for every tenant, again and again; with the lock, a deletion waits for the batch or the batch sees
 * the account gone, never half of each.
 */
async function eventsOfLiveAccounts(tx: Db, pending: EventRow[]): Promise<EventRow[]> {
  const ids = [...new Set(pending.map((event) => event.accountId))].sort((a, b) => a - b);
  const rows = await queryRows<{ id: number | string }>(
    tx,
    sql`SELECT id FROM accounts WHERE id IN ${sql.raw(`(${ids.map((id) => Math.trunc(id)).join(',')})`)} ORDER BY id FOR KEY SHARE`,
  );
  const live = new Set(rows.map((row) => Number(row.id)));
  return live.size === ids.length ? pending : pending.filter((event) => live.has(event.accountId));
}
