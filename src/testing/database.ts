import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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
    const database = await openDatabase({ template: dump ? await templateBlob(dump) : undefined });
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

/**
 * A Blob whose bytes are handed over as they are. PGlite reads a template with `arrayBuffer()`,
 * which for a Blob read from disk, or built from a buffer, streams and concatenates its 65 MB:
 * 450 ms of each file's 700 ms to open its database. PGlite only reads the bytes (each file it
 * extracts is a copy), so every database of the worker can be started from the same ones.
 */
class BytesBlob extends Blob {
  readonly #bytes: ArrayBuffer;
  constructor(bytes: ArrayBuffer) {
    super([]);
    this.#bytes = bytes;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes);
  }
}

/** The template dump, read once per worker process. */
const templates = new Map<string, Promise<Blob>>();
function templateBlob(file: string): Promise<Blob> {
  let template = templates.get(file);
  if (!template) {
    template = readFile(file).then(
      (bytes) => new BytesBlob(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    );
    templates.set(file, template);
  }
  return template;
}

export const backendName = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
