import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { deleteAccount } from '../identity/account-deletion.js';
import { removeMember } from '../identity/members.js';
import { createAccessToken } from '../identity/access-tokens.js';
import { resolveToken } from '../identity/authenticate.js';
import { createPresenceTracker, type PresenceTracker } from './presence.js';
import { getAgentPresenceByUuid, setActiveChannels } from './agent-presence.js';
import { agentPresenceChanges } from './presence.tables.js';

describe(`agent presence from connections (${backendName})`, () => {
  let app: TestApp;
  let acme: { accountId: number; apiKey: string };
  let presence: PresenceTracker;
  let counter = 0;

  beforeAll(async () => {
    app = await createTestApp();
    acme = await seedAccount(app, 'Acme');
    presence = createPresenceTracker({ db: app.parley.ctx.db, logger: app.parley.ctx.logger });
  });
  afterAll(async () => {
    presence.close();
    await app.close();
  });

  async function addAgent(): Promise<number> {
    counter += 1;
    const response = await injector(app)({
      method: 'POST',
      url: `/api/v1/accounts/${acme.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: `agent${counter}@acme.example`, name: `Agent ${counter}`, role: 'agent' },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ userId: number }>().userId;
  }

  async function membership(userId: number) {
    const [row] = await app.parley.ctx.db
      .select()
      .from(accountUsers)
      .where(and(eq(accountUsers.accountId, acme.accountId), eq(accountUsers.userId, userId)));
    return row!;
  }

  async function presenceEvents(userId: number) {
    const rows = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.accountId, acme.accountId), eq(events.type, 'member.updated')));
    return rows.filter((row) => row.aggregateId === `${acme.accountId}:${userId}`).map((row) => row.payload);
  }

  it('goes online with the first connection and offline only when the last one closes', async () => {
    const userId = await addAgent();

    presence.connected(acme.accountId, userId);
    presence.connected(acme.accountId, userId);
    await presence.settled();
    const online = (await membership(userId)).availability;
    presence.disconnected(acme.accountId, userId);
    await presence.settled();
    const afterOneClose = (await membership(userId)).availability;
    presence.disconnected(acme.accountId, userId);
    await presence.settled();

    expect(online).toBe('online');
    expect(afterOneClose).toBe('online');
    expect((await membership(userId)).availability).toBe('offline');
    expect((await presenceEvents(userId)).map((payload) => payload.availability)).toEqual([
      'online',
      'offline',
    ]);
  });

  it('keeps a chosen busy status and stays online without auto_offline', async () => {
    const busy = await addAgent();
    const sticky = await addAgent();
    const db = app.parley.ctx.db;
    await db.update(accountUsers).set({ availability: 'busy' }).where(eq(accountUsers.userId, busy));
    await db.update(accountUsers).set({ autoOffline: false }).where(eq(accountUsers.userId, sticky));

    presence.connected(acme.accountId, busy);
    presence.connected(acme.accountId, sticky);
    await presence.settled();
    const busyWhileConnected = (await membership(busy)).availability;
    presence.disconnected(acme.accountId, sticky);
    await presence.settled();

    expect(busyWhileConnected).toBe('busy');
    expect((await membership(sticky)).availability).toBe('online');
    expect(await presenceEvents(busy)).toEqual([]);
  });

  async function history(accountId: number, userId: number) {
    const rows = await app.parley.ctx.db
      .select()
      .from(agentPresenceChanges)
      .where(and(eq(agentPresenceChanges.accountId, accountId), eq(agentPresenceChanges.userId, userId)))
      .orderBy(asc(agentPresenceChanges.id));
    return rows.map((row) => [row.cause, row.previousAvailability, row.availability]);
  }

  it('writes connections that leave availability as it was, and memberships ending, to the history', async () => {
    const busy = await addAgent();
    const db = app.parley.ctx.db;
    await db.update(accountUsers).set({ availability: 'busy' }).where(eq(accountUsers.userId, busy));

    presence.connected(acme.accountId, busy);
    presence.connected(acme.accountId, busy);
    await presence.settled();
    presence.disconnected(acme.accountId, busy);
    presence.disconnected(acme.accountId, busy);
    await presence.settled();
    presence.connected(acme.accountId, busy);
    await presence.settled();
    await removeMember(db, acme.accountId, busy, { type: 'platform' });

    expect(await history(acme.accountId, busy)).toEqual([
      ['changed', 'offline', 'busy'],
      ['connected', 'busy', 'busy'],
      ['disconnected', 'busy', 'offline'],
      ['connected', 'offline', 'online'],
      ['left', 'online', 'offline'],
    ]);
  });

  it('reads last seen from connections and token use, and the active channels an agent chose', async () => {
    const userId = await addAgent();
    const db = app.parley.ctx.db;
    const [user] = await db.select({ uuid: users.uuid }).from(users).where(eq(users.id, userId));
    const never = await getAgentPresenceByUuid(db, acme.accountId, user!.uuid);

    presence.connected(acme.accountId, userId);
    await presence.settled();
    const seen = await getAgentPresenceByUuid(db, acme.accountId, user!.uuid);
    await setActiveChannels(db, { accountId: acme.accountId, userId, channels: ['voice', 'email', 'voice'] });
    const chosen = await getAgentPresenceByUuid(db, acme.accountId, user!.uuid);
    presence.disconnected(acme.accountId, userId);
    await presence.settled();
    const tokenUser = await addAgent();
    const [other] = await db.select({ uuid: users.uuid }).from(users).where(eq(users.id, tokenUser));
    const { token } = await createAccessToken(db, { userId: tokenUser, name: 'test' });
    await resolveToken(db, token, undefined);
    const byToken = await getAgentPresenceByUuid(db, acme.accountId, other!.uuid);

    expect(byToken).toMatchObject({ availability: 'offline', lastSeenAt: expect.any(Date) });
    expect(never).toMatchObject({ availability: 'offline', lastSeenAt: null, activeChannels: [] });
    expect(seen.availability).toBe('online');
    expect(seen.lastSeenAt).toBeInstanceOf(Date);
    expect(chosen.activeChannels).toEqual(['email', 'voice']);
  });

  it('lets an account with online agents be deleted, its history with it', async () => {
    const doomed = await seedAccount(app, 'Doomed');
    const response = await injector(app)({
      method: 'POST',
      url: `/api/v1/accounts/${doomed.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: 'doomed-agent@acme.example', name: 'Doomed', role: 'agent' },
    });
    const userId = response.json<{ userId: number }>().userId;
    presence.connected(doomed.accountId, userId);
    await presence.settled();

    await deleteAccount(app.parley.ctx.db, doomed.accountId);

    expect(await history(doomed.accountId, userId)).toEqual([]);
  });
});
