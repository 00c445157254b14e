import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';

interface Pending {
  /** The handle the transaction was opened on: a statement on it runs outside the transaction. */
  root: Db;
  /** channel → payloads asked for by the transaction. */
  notifications: Map<string, Set<string>>;
}

const inTransaction = new AsyncLocalStorage<Pending>();

/**
 * Asks for `NOTIFY channel, payload` once the transaction `db` is part of has committed, instead
 * of a NOTIFY inside it. PostgreSQL serializes every committing transaction that notified on one
 * cluster-wide lock, held through the commit's WAL flush, so notifying writers commit one flush at
 * a time instead of sharing flushes (message create: 435-494 req/s with the NOTIFY inside, 526-538
 * without). A wake-up sent after the commit is just as sure to find the rows committed.
 *
 * Returns false where nobody will send it: `db` is not a transaction opened on a database that
 * sends them (`sendNotificationsAfterCommit`): the root handle, or the embedded database, whose
 * one connection has no commits to serialize. The caller then notifies inline, as before.
 */
export function notifyAfterCommit(db: Db, channel: string, payload = ''): boolean {
  const pending = inTransaction.getStore();
  if (!pending || db === pending.root) return false;
  const payloads = pending.notifications.get(channel) ?? new Set<string>();
  payloads.add(payload);
  pending.notifications.set(channel, payloads);
  return true;
}

/**
 * `NOTIFY channel, payload` once `db`'s transaction commits: after the commit where
 * `notifyAfterCommit` takes it, else inline (delivered at commit all the same, never for a
 * rollback).
 */
export async function notifyOnCommit(db: Db, channel: string, payload = ''): Promise<void> {
  if (notifyAfterCommit(db, channel, payload)) return;
  await db.execute(sql`SELECT pg_notify(${channel}, ${payload}::text)`);
}

const notifiers = new WeakMap<Db, (channel: string, payload: string) => void>();

/**
 * Whether `db` sends notifications itself once a write commits (`sendNotificationsAfterCommit`).
 * A statement that commits on its own (no transaction) then asks with `notifyAfterStatement`
 * instead of calling `pg_notify`; elsewhere (the embedded database) it notifies inline.
 */
export function sendsNotificationsAfterCommit(db: Db): boolean {
  return notifiers.has(db);
}

/** `NOTIFY channel, payload` now, for a statement that committed on its own on `db`. */
export function notifyAfterStatement(db: Db, channel: string, payload = ''): void {
  const notify = notifiers.get(db);
  if (!notify) throw new Error('this database notifies inline (see sendsNotificationsAfterCommit)');
  notify(channel, payload);
}

/**
 * Makes `db.transaction` send, once a transaction commits, the notifications it asked for with
 * `notifyAfterCommit`. A rolled-back transaction sends none; a savepoint's ask stays with its
 * transaction even if the savepoint rolls back (a wake-up for nothing costs a look, no more).
 */
export function sendNotificationsAfterCommit(
  db: Db,
  notify: (channel: string, payload: string) => void,
): void {
  notifiers.set(db, notify);
  const transaction = db.transaction.bind(db);
  db.transaction = async (work, config) => {
    const pending: Pending = { root: db, notifications: new Map() };
    const result = await inTransaction.run(pending, () => transaction(work, config));
    for (const [channel, payloads] of pending.notifications) {
      for (const payload of payloads) notify(channel, payload);
    }
    return result;
  };
}

/**
 * A `notify` that has at most one NOTIFY per channel and payload in flight: asks made meanwhile
 * are answered by one more once it returns (one sent before their commit could have been read
 * before their rows existed). Under load that is one NOTIFY per round trip, not one per commit.
 * A failed NOTIFY is reported and dropped: listeners also poll.
 */
export function coalescingNotifier(
  send: (channel: string, payload: string) => Promise<unknown>,
  onError: (error: unknown) => void,
): (channel: string, payload: string) => void {
  const inFlight = new Map<string, { channel: string; payload: string; again: boolean }>();
  const notify = (channel: string, payload: string): void => {
    const key = `${channel}\u0000${payload}`;
    const current = inFlight.get(key);
    if (current) {
      current.again = true;
      return;
    }
    const entry = { channel, payload, again: false };
    inFlight.set(key, entry);
    send(channel, payload)
      .catch(onError)
      .finally(() => {
        inFlight.delete(key);
        if (entry.again) notify(channel, payload);
      });
  };
  return notify;
}
