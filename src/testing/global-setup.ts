import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embeddedExtensions, openDatabase } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { TEMPLATE_DATABASE_ENV, TEMPLATE_DUMP_ENV } from './database.js';

/**
 * Vitest global setup: migrates one database per run, from the migrations on disk, and hands it to
 * every test file as a template (see createTestDatabase), so files skip initdb and ~25 migrations.
 * A migration that fails fails the run here, before any file starts.
 * Returns the teardown. Workers inherit the template's location through the environment.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  return serverUrl ? createServerTemplate(serverUrl) : createEmbeddedTemplate();
}

async function createEmbeddedTemplate(): Promise<() => Promise<void>> {
  const client = await PGlite.create({ extensions: embeddedExtensions });
  await migrate(drizzle(client));
  // A clean checkpoint spares every file the crash recovery of the copied WAL.
  await client.exec('CHECKPOINT');
  // Uncompressed: each file reads it from the page cache instead of unzipping 45 MB.
  const dump = await client.dumpDataDir('none');
  await client.close();
  const file = path.join(
    tmpdir(),
    `parley-test-template-${process.pid}-${randomBytes(4).toString('hex')}.tar`,
  );
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  process.env[TEMPLATE_DUMP_ENV] = file;
  return async () => {
    Reflect.deleteProperty(process.env, TEMPLATE_DUMP_ENV);
    await rm(file, { force: true });
  };
}

async function createServerTemplate(serverUrl: string): Promise<() => Promise<void>> {
  const name = `parley_template_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template: close before use.
  const template = await openDatabase({ url: url.toString(), poolSize: 1 });
  const drop = async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  try {
    await migrate(template.db);
  } catch (error) {
    await template.close();
    await drop();
    throw error;
  }
  await template.close();
  process.env[TEMPLATE_DATABASE_ENV] = name;
  return async () => {
    Reflect.deleteProperty(process.env, TEMPLATE_DATABASE_ENV);
    await drop();
  };
}
