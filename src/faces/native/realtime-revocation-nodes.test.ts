import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { createParley, type Parley } from '../../app.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { openDatabase, type Database } from '../../platform/db/database.js';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { closedWithin, trackedSockets, listenForSockets } from './realtime-client.test-kit.js';

const redisUrl = process.env.TEST_REDIS_URL;

/** A second, API-only node (no relay, no jobs) on node A's database, as in a multi-node install. */
async function startSecondNode(
  nodeA: TestApp,
  redis: string | undefined,
): Promise<{ parley: Parley; close(): Promise<void> }> {
  const { testDb } = nodeA;
  // On a server, its own connections (and its own LISTEN); the embedded database has only one.
  const database: Database = testDb.url
    ? await openDatabase({ url: testDb.url, poolSize: 3 })
    : testDb.database;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-node-b-'));
  const config = loadConfig({
    PARLEY_PLATFORM_TOKEN: TEST_PLATFORM_TOKEN,
    LOG_LEVEL: 'silent',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_WORKERS: 'false',
    ...(redis && { REDIS_URL: redis }),
  });
  const parley = await createParley({ config, database, logger: createLogger(config) });
  await parley.startBackground();
  return {
    parley,
    async close() {
      await parley.close();
      if (database !== testDb.database) await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe.each([
  { bus: `PostgreSQL bus (${backendName})`, redis: undefined, skip: false },
  { bus: 'Redis bus (needs TEST_REDIS_URL)', redis: redisUrl, skip: !redisUrl },
])('revocations across nodes, $bus', ({ redis, skip }) => {
  let nodeA: TestApp;
  let nodeB: { parley: Parley; close(): Promise<void> };
  let baseA: string;
  let baseB: string;
  let acme: { accountId: number; apiKey: string };
  const sockets = trackedSockets();

  beforeAll(async () => {
    if (skip) return;
    // Node A re-checks often, for the safety-net test; node B keeps the default 30 s, so what closes
    // its sockets within a second can only be the revocation notice.
    nodeA = await createTestApp({ PARLEY_REALTIME_RECHECK_MS: 250, ...(redis && { REDIS_URL: redis }) });
    acme = await seedAccount(nodeA, 'Acme');
    await nodeA.parley.startBackground();
    baseA = await listenForSockets(nodeA.parley);
    nodeB = await startSecondNode(nodeA, redis);
    baseB = await listenForSockets(nodeB.parley);
  });
  afterAll(async () => {
    if (skip) return;
    sockets.terminateAll();
    await nodeB.close();
    await nodeA.close();
  });

  const connect = (base: string, token: string) => sockets.connect(base, acme.accountId, token);

  async function issueKey(): Promise<{ id: number; token: string }> {
    const created = await injector(nodeA)({
      method: 'POST',
      url: `/api/v1/accounts/${acme.accountId}/api-keys`,
      headers: bearer(acme.apiKey),
      payload: { name: `key-${randomUUID()}` },
    });
    expect(created.statusCode).toBe(201);
    return created.json<{ id: number; token: string }>();
  }

  function revokeKeyOnA(keyId: number) {
    return injector(nodeA)({
      method: 'DELETE',
      url: `/api/v1/accounts/${acme.accountId}/api-keys/${keyId}`,
      headers: bearer(acme.apiKey),
    });
  }

  async function createContactOnA(): Promise<string> {
    const email = `contact-${randomUUID()}@example.test`;
    const response = await injector(nodeA)({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/contacts`,
      headers: { api_access_token: acme.apiKey },
      payload: { name: 'Someone', email },
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return email;
  }

  it.skipIf(skip)(
    'a key revoked on node A closes its socket on node B within 1 s; others keep streaming',
    async () => {
      const doomedKey = await issueKey();
      const doomed = await connect(baseB, doomedKey.token);
      const healthy = await connect(baseB, acme.apiKey);

      expect((await revokeKeyOnA(doomedKey.id)).statusCode).toBe(200);
      expect(await closedWithin(doomed, 1000)).toMatchObject({ code: 4401, reason: 'Access revoked' });

      const email = await createContactOnA();
      await waitFor(() => healthy.sawContact(email), { what: 'the contact on the healthy socket of node B' });
      expect(doomed.sawContact(email)).toBe(false);
      expect(healthy.isClosed()).toBe(false);
    },
  );

  it.skipIf(skip || redis !== undefined)(
    'closes a socket whose revocation notice never came, at the next periodic re-check',
    async () => {
      const key = await issueKey();
      const client = await connect(baseA, key.token);
      const { db } = nodeA.testDb.database;
      // The notice is lost: the announcing trigger is off for this one revocation.
      await db.execute(sql`ALTER TABLE api_keys DISABLE TRIGGER api_keys_announce_revocation`);
      try {
        expect((await revokeKeyOnA(key.id)).statusCode).toBe(200);
      } finally {
        await db.execute(sql`ALTER TABLE api_keys ENABLE TRIGGER api_keys_announce_revocation`);
      }
      expect(await closedWithin(client, 3000)).toMatchObject({ code: 4401 });
    },
  );
});
