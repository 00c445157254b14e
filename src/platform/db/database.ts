import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { lockDataDir } from './data-dir-lock.js';
import { seedFromTemplate } from './embedded-template.js';
import { withNamedStatements } from './named-statements.js';
import { coalescingNotifier, sendNotificationsAfterCommit } from './notify-after-commit.js';
import { connectServer } from './server-address.js';

/** A Drizzle handle: the database itself or a transaction, the same API for both backends. */
export type Db = PgDatabase<PgQueryResultHKT>;

export type NotificationHandler = (payload: string) => void;

export interface Database {
  readonly kind: 'embedded' | 'server';
  readonly db: Db;
  /**
   * Subscribes to a LISTEN channel; resolves to an unsubscribe function. `onListening` runs each
   * time the channel is listened to: first, and again after the listening connection was lost and
   * replaced (notices sent in between were missed).
   */
  listen(
    channel: string,
    handler: NotificationHandler,
    onListening?: () => void,
  ): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL of a server; absent means the embedded database. */
  url?: string | undefined;
  /** Directory for the embedded database; absent means in memory (tests). */
  dataDir?: string | undefined;
  /**
   * An in-memory embedded database starts as a copy of this data directory (a PGlite dump, see
   * `embeddedExtensions`) instead of an empty one: tests skip initdb and migrations this way.
   */
  template?: Blob | undefined;
  poolSize?: number;
}

/**
 * pg_trgm backs contact search and btree_gin the per-account message search index; a server has
 * them in contrib, PGlite loads them as extensions. Exported so a template (tests) loads the same.
 */
export const embeddedExtensions = { pg_trgm, btree_gin };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url
    ? openServer(options.url, options.poolSize ?? 10)
    : openEmbedded(options.dataDir, options.template);
}

async function openEmbedded(dataDir: string | undefined, template: Blob | undefined): Promise<Database> {
  let location: string | undefined;
  let unlock: () => void = () => undefined;
  if (dataDir) {
    location = path.resolve(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
    unlock = await lockDataDir(location);
    await seedFromTemplate(location).catch((error: unknown) => {
      unlock();
      throw error;
    });
  }
  const extensions = embeddedExtensions;
  // PGlite's default 128 MB of shared buffers lives in the WebAssembly heap, which never shrinks:
  // it alone took the idle process past 500 MB. On disk the OS page cache keeps hot pages anyway,
  // and in memory (tests) the whole database is memory already.
  const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
  const client = await (
    location
      ? PGlite.create(location, { extensions, startParams })
      : PGlite.create({ extensions, startParams, ...(template ? { loadDataDir: template } : {}) })
  ).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: 'embedded',
    db,
    async listen(channel, handler, onListening) {
      // PGlite lives in this process: its one connection is never lost.
      const unsubscribe = await client.listen(channel, handler);
      onListening?.();
      return unsubscribe;
    },
    async notify(channel, payload) {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await client.close();
      unlock();
    },
  };
}

/**
 * A database server, as `openDatabase` opens one. `debug` sees every statement sent (the Chatwoot
 * benchmark replays what a request sent); `applicationName` names the connections in pg_stat_activity.
 */
export function openServer(
  url: string,
  poolSize: number,
  options: {
    debug?: (connection: number, text: string, parameters: unknown[]) => void;
    applicationName?: string;
  } = {},
): Database {
  const client = connectServer(url, {
    max: poolSize,
    onnotice: () => undefined,
    connection: { application_name: options.applicationName ?? 'parley' },
    ...(options.debug && { debug: options.debug }),
  });
  const db = drizzlePostgres(withNamedStatements(client)) as unknown as Db;
  // A failed NOTIFY is a connection failing, which the next statement reports; the listeners
  // (event relay, job workers) poll as well.
  sendNotificationsAfterCommit(
    db,
    coalescingNotifier(
      (channel, payload) => client.notify(channel, payload),
      () => undefined,
    ),
  );
  return {
    kind: 'server',
    db,
    async listen(channel, handler, onListening) {
      const subscription = await client.listen(channel, handler, onListening);
      return () => subscription.unlisten();
    },
    async notify(channel, payload) {
      await client.notify(channel, payload);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/** Runs raw SQL and returns its rows, hiding the drivers' different result shapes. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

/**
 * A json value a query returned: PGlite hands it back parsed, postgres.js (in raw queries and
 * computed columns) as text. Accepts both.
 */
export function parsedJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`SELECT 1`);
}
