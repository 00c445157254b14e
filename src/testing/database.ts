import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { openDatabase, type Database } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';

/** Set by the vitest global setup (global-setup.ts): a migrated PGlite dump to start from. */
export const TEMPLATE_DUMP_ENV = 'PARLEY_TEST_TEMPLATE_DUMP';
/** Set by the vitest global setup for the server backend: a migrated database to copy. */
export const TEMPLATE_DATABASE_ENV = 'PARLEY_TEST_TEMPLATE_DATABASE';

export interface TestDatabase {
  database: Database;
  /** The URL of the fresh server database, when running against a real PostgreSQL. */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default,
 * or a new database on the server named by TEST_DATABASE_URL, dropped afterwards.
 * Under vitest both start as copies of the run's migrated template (global-setup.ts); elsewhere
 * (scripts, benches) they are migrated here. `migrate` then only confirms the copy is current.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dump = process.env[TEMPLATE_DUMP_ENV];
    const database = await openDatabase({ template: dump ? await openAsBlob(dump) : undefined });
    await migrate(database.db);
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  const template = process.env[TEMPLATE_DATABASE_ENV];
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 5 });
  await migrate(database.db);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export const backendName = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
