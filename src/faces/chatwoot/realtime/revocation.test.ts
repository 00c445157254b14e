import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, seedAccount, TEST_PLATFORM_TOKEN, type TestApp } from '../../../testing/app.js';
import { backendName } from '../../../testing/database.js';
import { createAgentBot } from '../../../core/agent-bots/agent-bots.js';
import { chatwootCaller, seedUser } from '../admin-test-kit.js';
import {
  listenForSockets,
  trackedSockets,
  pushContact,
  expectRevokedClose,
  type RealtimeClient,
} from '../../native/realtime-client.test-kit.js';

/**
 * Access ended through the Chatwoot face (an agent removed, an agent bot deleted, a user or an
 * account deleted through the platform API) closes the real-time sockets Chatwoot clients hold
 * (the account's WebSocket), within a second, and nothing more reaches them.
 */
describe(`Chatwoot revocations close live sockets (${backendName})`, () => {
  let app: TestApp;
  let base: string;
  let call: ReturnType<typeof chatwootCaller>;
  let acme: { accountId: number; apiKey: string };
  let watcher: RealtimeClient;
  const sockets = trackedSockets();

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    acme = await seedAccount(app, 'Acme');
    await app.parley.startBackground();
    base = await listenForSockets(app.parley);
    watcher = await connect(acme.accountId, acme.apiKey);
  });
  afterAll(async () => {
    sockets.terminateAll();
    await app.close();
  });

  const connect = (accountId: number, token: string) => sockets.connect(base, accountId, token);

  it('closes the socket of an agent removed from the account', async () => {
    const agent = await seedUser(app, {
      accountId: acme.accountId,
      role: 'agent',
      email: `agent-${randomUUID()}@example.test`,
    });
    const doomed = await connect(acme.accountId, agent.token);

    const removed = await call(
      'DELETE',
      `/api/v1/accounts/${acme.accountId}/agents/${agent.userId}`,
      acme.apiKey,
    );
    expect(removed.statusCode).toBe(200);
    await expectRevokedClose(doomed);

    const later = await pushContact(app, acme, watcher);
    expect(doomed.sawContact(later)).toBe(false);
  });

  it('closes the socket of a deleted agent bot', async () => {
    const { bot, token } = await createAgentBot(
      app.testDb.database.db,
      { name: 'Triage', accountId: acme.accountId, isPlatformOwned: false },
      { type: 'system' },
    );
    const doomed = await connect(acme.accountId, token);

    const deleted = await call(
      'DELETE',
      `/api/v1/accounts/${acme.accountId}/agent_bots/${bot.id}`,
      acme.apiKey,
    );
    expect(deleted.statusCode).toBe(200);
    await expectRevokedClose(doomed);

    const later = await pushContact(app, acme, watcher);
    expect(doomed.sawContact(later)).toBe(false);
  });

  it('closes the sockets of a user deleted through the platform API', async () => {
    const agent = await seedUser(app, {
      accountId: acme.accountId,
      role: 'administrator',
      email: `admin-${randomUUID()}@example.test`,
    });
    const doomed = await connect(acme.accountId, agent.token);

    const deleted = await call('DELETE', `/platform/api/v1/users/${agent.userId}`, TEST_PLATFORM_TOKEN);
    expect(deleted.statusCode).toBe(200);
    await expectRevokedClose(doomed);
    expect(watcher.isClosed()).toBe(false);
  });

  it("closes every socket of a deleted account and none of another account's", async () => {
    const doomedAccount = await seedAccount(app, 'Initech');
    const agent = await seedUser(app, {
      accountId: doomedAccount.accountId,
      role: 'agent',
      email: `agent-${randomUUID()}@example.test`,
    });
    const byKey = await connect(doomedAccount.accountId, doomedAccount.apiKey);
    const byUser = await connect(doomedAccount.accountId, agent.token);
    const byPlatform = await connect(doomedAccount.accountId, TEST_PLATFORM_TOKEN);

    const deleted = await call(
      'DELETE',
      `/platform/api/v1/accounts/${doomedAccount.accountId}`,
      TEST_PLATFORM_TOKEN,
    );
    expect(deleted.statusCode).toBe(200);
    await Promise.all([
      expectRevokedClose(byKey),
      expectRevokedClose(byUser),
      expectRevokedClose(byPlatform),
    ]);

    await pushContact(app, acme, watcher);
    expect(watcher.isClosed()).toBe(false);
  });
});
