import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';
import { addMember } from '../../core/identity/members.js';
import { createUser } from '../../core/identity/users.js';
import {
  connectRealtime,
  listenForSockets,
  trackedSockets,
  pushContact,
  expectRevokedClose,
  type RealtimeClient,
} from './realtime-client.test-kit.js';

/**
 * Ending access closes the real-time sockets admitted with it, within a second, with code 4401,
 * and nothing more reaches them; the sockets of other credentials keep streaming.
 */
describe(`real-time sockets when access is revoked (${backendName})`, () => {
  let app: TestApp;
  let base: string;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  /** An administrator key's socket that is never revoked: it shows when an event has been pushed. */
  let watcher: RealtimeClient;
  const sockets = trackedSockets();

  beforeAll(async () => {
    app = await createTestApp();
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    await app.parley.startBackground();
    base = await listenForSockets(app.parley);
    watcher = await connect(acme.accountId, acme.apiKey);
  });
  afterAll(async () => {
    sockets.terminateAll();
    await app.close();
  });

  const connect = (accountId: number, token: string) => sockets.connect(base, accountId, token);

  async function seedUser(accountIds: number[]): Promise<{ userId: number }> {
    const db = app.testDb.database.db;
    const user = await createUser(db, { name: 'Agent', email: `agent-${randomUUID()}@example.test` });
    for (const accountId of accountIds) {
      await addMember(db, { accountId, userId: user.id, role: 'agent' }, { type: 'system' });
    }
    return { userId: user.id };
  }

  async function issueToken(userId: number): Promise<{ id: number; token: string }> {
    const issued = await createAccessToken(app.testDb.database.db, { userId, name: 'socket' });
    return { id: issued.accessToken.id, token: issued.token };
  }

  it('closes the socket of a revoked API key, and only that one', async () => {
    const created = await injector(app)({
      method: 'POST',
      url: `/api/v1/accounts/${acme.accountId}/api-keys`,
      headers: bearer(acme.apiKey),
      payload: { name: 'dashboard' },
    });
    const key = created.json<{ id: number; token: string }>();
    const doomed = await connect(acme.accountId, key.token);
    await pushContact(app, acme, doomed); // it streams before the revocation

    const revoked = await injector(app)({
      method: 'DELETE',
      url: `/api/v1/accounts/${acme.accountId}/api-keys/${key.id}`,
      headers: bearer(acme.apiKey),
    });
    expect(revoked.statusCode).toBe(200);
    await expectRevokedClose(doomed);

    const later = await pushContact(app, acme, watcher);
    expect(doomed.sawContact(later)).toBe(false);
    expect(watcher.isClosed()).toBe(false);
  });

  it("closes the socket of a revoked personal token, not the socket of the same user's other token", async () => {
    const { userId } = await seedUser([acme.accountId]);
    const revokedToken = await issueToken(userId);
    const keptToken = await issueToken(userId);
    const doomed = await connect(acme.accountId, revokedToken.token);
    const kept = await connect(acme.accountId, keptToken.token);

    // The user signs that token out.
    const revoked = await injector(app)({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${revokedToken.id}`,
      headers: bearer(revokedToken.token),
    });
    expect(revoked.statusCode).toBe(200);
    await expectRevokedClose(doomed);

    const later = await pushContact(app, acme, kept);
    expect(doomed.sawContact(later)).toBe(false);
    expect(kept.isClosed()).toBe(false);
  });

  it("closes a removed member's socket on that account, not their socket on another account", async () => {
    const { userId } = await seedUser([acme.accountId, globex.accountId]);
    const { token } = await issueToken(userId);
    const onAcme = await connect(acme.accountId, token);
    const onGlobex = await connect(globex.accountId, token);

    const removed = await injector(app)({
      method: 'DELETE',
      url: `/api/v1/accounts/${acme.accountId}/members/${userId}`,
      headers: bearer(acme.apiKey),
    });
    expect(removed.statusCode).toBeLessThan(300);
    await expectRevokedClose(onAcme);

    const later = await pushContact(app, acme, watcher);
    expect(onAcme.sawContact(later)).toBe(false);
    await pushContact(app, globex, onGlobex);
    expect(onGlobex.isClosed()).toBe(false);
  });

  it('refuses a new socket for the revoked credential', async () => {
    const { userId } = await seedUser([acme.accountId]);
    const { id, token } = await issueToken(userId);
    await injector(app)({ method: 'DELETE', url: `/api/v1/me/tokens/${id}`, headers: bearer(token) });
    await expect(connectRealtime(base, acme.accountId, token)).rejects.toThrow('upgrade refused: 401');
  });
});
