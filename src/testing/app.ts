import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createParley, type CreateParleyOptions, type Parley } from '../app.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_PLATFORM_TOKEN = 'test-platform-token-0123456789';

export interface TestApp {
  parley: Parley;
  testDb: TestDatabase;
  close(): Promise<void>;
}

/** A whole Parley on a fresh database, for tests that go through HTTP. */
export async function createTestApp(
  overrides: Partial<Config> = {},
  options: Pick<CreateParleyOptions, 'webhookPolicy' | 'clock'> = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase();
  // Each app gets its own data directory: blob keys repeat across fresh databases.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-test-'));
  const config = loadConfig(
    {
      PARLEY_PLATFORM_TOKEN: TEST_PLATFORM_TOKEN,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PARLEY_JOB_POLL_MS: '50',
      PARLEY_DATA_DIR: dataDir,
      // Tests send bursts no Dixa client would; the Dixa limit's own test sets it back.
      PARLEY_DIXA_RATE_LIMIT_MAX: '100000',
      PARLEY_CHECK_CHATWOOT_RESPONSES: 'true',
    },
    overrides,
  );
  const parley = await createParley({
    config,
    database: testDb.database,
    logger: createLogger(config),
    ...options,
  });
  return {
    parley,
    testDb,
    async close() {
      await parley.close();
      await testDb.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `inject` with one signature, for concise test calls. */
export function injector(app: TestApp): (options: InjectOptions) => Promise<LightMyRequestResponse> {
  return (options) => app.parley.server.inject(options);
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Creates an account through the API and an administrator API key for it. */
export async function seedAccount(
  app: TestApp,
  name: string,
): Promise<{ accountId: number; apiKey: string }> {
  const account = await app.parley.server.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: bearer(TEST_PLATFORM_TOKEN),
    payload: { name },
  });
  const accountId = account.json<{ id: number }>().id;
  const key = await app.parley.server.inject({
    method: 'POST',
    url: `/api/v1/accounts/${accountId}/api-keys`,
    headers: bearer(TEST_PLATFORM_TOKEN),
    payload: { name: 'test' },
  });
  return { accountId, apiKey: key.json<{ token: string }>().token };
}
