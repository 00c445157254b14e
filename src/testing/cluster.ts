import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createParley, type Parley } from '../app.js';
import { TEST_PLATFORM_TOKEN, type TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** Several Parley nodes on one database, as in a multi-node deployment. */
export interface TestCluster {
  testDb: TestDatabase;
  nodes: Parley[];
  /** Node `index` as a TestApp, for the helpers that take one (seedAccount, injector). */
  app(index: number): TestApp;
  close(): Promise<void>;
}

/**
 * `count` whole Parleys sharing one fresh test database (each with its own data directory), built
 * like `createTestApp` builds one. Closing the cluster closes every node, then drops the database.
 */
export async function createTestCluster(
  count: number,
  overrides: Partial<Config> = {},
): Promise<TestCluster> {
  const testDb = await createTestDatabase();
  const dataDirs: string[] = [];
  const nodes: Parley[] = [];
  for (let index = 0; index < count; index += 1) {
    const dataDir = await mkdtemp(path.join(tmpdir(), `parley-node${index}-`));
    dataDirs.push(dataDir);
    const config = loadConfig(
      {
        PARLEY_PLATFORM_TOKEN: TEST_PLATFORM_TOKEN,
        LOG_LEVEL: 'silent',
        PARLEY_JOB_POLL_MS: '50',
        PARLEY_DATA_DIR: dataDir,
        PARLEY_NODE_ID: `test-node-${index}`,
        PARLEY_CHECK_CHATWOOT_RESPONSES: 'true',
      },
      overrides,
    );
    nodes.push(await createParley({ config, database: testDb.database, logger: createLogger(config) }));
  }
  let isClosed = false;
  const cluster: TestCluster = {
    testDb,
    nodes,
    app: (index) => {
      const parley = nodes[index];
      if (!parley) throw new Error(`no node ${index}`);
      return { parley, testDb, close: () => cluster.close() };
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      for (const node of nodes) await node.close();
      await testDb.drop();
      await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
  return cluster;
}
