import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';

/**
 * A node that has started listening keeps the API keys it looked up (api-key-cache.ts): a key's
 * later requests ask the database nothing about it, and every way a key ends still refuses it.
 */
describe(`API keys remembered by a listening node (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  const db = () => app.testDb.database.db;
  const request = injector;

  beforeAll(async () => {
    app = await createTestApp();
    ({ accountId } = await seedAccount(app, 'Acme'));
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
  });

  async function issueKey(): Promise<{ id: number; token: string }> {
    const response = await request(app)({
      method: 'POST',
      url: `/api/v1/accounts/${accountId}/api-keys`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'cached' },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: number; token: string }>();
  }

  const listKeys = (token: string) =>
    request(app)({ method: 'GET', url: `/api/v1/accounts/${accountId}/api-keys`, headers: bearer(token) });

  it("answers a key's later requests without looking it up", async () => {
    const key = await issueKey();
    expect((await listKeys(key.token)).statusCode).toBe(200);
    // No revocation notice goes out for this change: only a lookup would see the key is gone.
    await db().execute(sql`UPDATE api_keys SET token_hash = 'moved' WHERE id = ${key.id}`);
    expect((await listKeys(key.token)).statusCode).toBe(200);
  });

  it('refuses a key revoked through the API on its very next request', async () => {
    const key = await issueKey();
    expect((await listKeys(key.token)).statusCode).toBe(200);
    const revoked = await request(app)({
      method: 'DELETE',
      url: `/api/v1/accounts/${accountId}/api-keys/${key.id}`,
      headers: bearer(TEST_PLATFORM_TOKEN),
    });
    expect(revoked.statusCode).toBe(200);
    expect((await listKeys(key.token)).statusCode).toBe(401);
  });

  it('refuses a key revoked elsewhere (another node, the CLI) once the database announces it', async () => {
    const key = await issueKey();
    expect((await listKeys(key.token)).statusCode).toBe(200);
    await db().execute(sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${key.id}`);
    // The notice arrives within moments; the cache's own time to live (10 s) is far longer.
    const deadline = Date.now() + 3_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await listKeys(key.token)).statusCode;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
  });

  it('refuses the keys of a deleted account', async () => {
    const other = await seedAccount(app, 'Globex');
    expect((await listKeys(other.apiKey)).statusCode).toBe(404);
    const ownKeys = () =>
      request(app)({
        method: 'GET',
        url: `/api/v1/accounts/${other.accountId}/api-keys`,
        headers: bearer(other.apiKey),
      });
    expect((await ownKeys()).statusCode).toBe(200);
    const deleted = await request(app)({
      method: 'DELETE',
      url: `/chatwoot/platform/api/v1/accounts/${other.accountId}`,
      headers: { api_access_token: TEST_PLATFORM_TOKEN },
    });
    expect(deleted.statusCode).toBe(200);
    expect((await ownKeys()).statusCode).toBe(401);
  });
});
