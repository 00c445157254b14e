import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { agentPresenceChanges } from '../../core/presence/presence.tables.js';
import { listenForSockets, trackedSockets } from '../native/realtime-client.test-kit.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import { addSignedInMember } from './agents.test-kit.js';

/** Seed `UserPresence`, strict. */
const seedPresence = z.strictObject({
  userId: z.uuid(),
  lastSeen: z.iso.datetime().optional(),
  requestTime: z.iso.datetime(),
  activeChannels: z
    .array(
      z.enum([
        'WhatsApp',
        'Voicemail',
        'WidgetChat',
        'FacebookMessenger',
        'Twitter',
        'Email',
        'ContactForm',
        'Callback',
        'PstnPhone',
        'Sms',
        'Messenger',
      ]),
    )
    .optional(),
  presenceStatus: z.enum(['Away', 'Working']).optional(),
  connectionStatus: z.enum(['Offline', 'Online']),
});
type SeedPresence = z.infer<typeof seedPresence>;

describe(`Dixa agent presence from real-time connections (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: DixaTestOrg;
  let globex: DixaTestOrg;
  let base: string;
  const sockets = trackedSockets();

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    inject = created.inject;
    acme = await created.organization('Acme');
    globex = await created.organization('Globex');
    base = await listenForSockets(app.parley);
  });
  afterAll(async () => {
    sockets.terminateAll();
    await app.close();
  });

  async function agentUuid(email: string): Promise<string> {
    const response = await acme.call('GET', `/v1/agents?email=${encodeURIComponent(email)}`);
    return response.json<{ data: { id: string }[] }>().data[0]!.id;
  }

  async function presenceOf(uuid: string): Promise<SeedPresence> {
    const response = await acme.call('GET', `/v1/agents/${uuid}/presence`);
    expect(response.statusCode, response.body).toBe(200);
    return seedPresence.parse(response.json<{ data: unknown }>().data);
  }

  async function joinInbox(userId: number, channel: Record<string, unknown>): Promise<void> {
    const headers = { api_access_token: acme.apiKey };
    const inbox = await inject({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/inboxes`,
      headers,
      payload: { name: `Inbox ${String(channel.type)}`, channel },
    });
    expect(inbox.statusCode, inbox.body).toBe(200);
    const members = await inject({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/inbox_members`,
      headers,
      payload: { inbox_id: inbox.json<{ id: number }>().id, user_ids: [userId] },
    });
    expect(members.statusCode, members.body).toBe(200);
  }

  it('goes Online/Working on connect, Away when busy, Offline on close, with history rows', async () => {
    const email = 'live@acme.example';
    const agent = await addSignedInMember(app, acme.accountId, { email, name: 'Live Agent' });
    await joinInbox(agent.userId, { type: 'web_widget', website_url: 'https://acme.example' });
    await joinInbox(agent.userId, { type: 'email', email: 'support@acme.example' });
    const uuid = await agentUuid(email);
    const before = await presenceOf(uuid);

    const client = await sockets.connect(base, acme.accountId, agent.token);
    const online = await waitFor(
      async () => {
        const presence = await presenceOf(uuid);
        return presence.connectionStatus === 'Online' && presence;
      },
      { what: 'the agent online' },
    );
    const busy = await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${acme.accountId}/members/${agent.userId}`,
      headers: bearer(agent.token),
      payload: { availability: 'busy' },
    });
    expect(busy.statusCode, busy.body).toBe(200);
    const away = await presenceOf(uuid);
    await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${acme.accountId}/members/${agent.userId}`,
      headers: bearer(agent.token),
      payload: { availability: 'online' },
    });
    client.socket.close();
    const offline = await waitFor(
      async () => {
        const presence = await presenceOf(uuid);
        return presence.connectionStatus === 'Offline' && presence;
      },
      { what: 'the agent offline' },
    );
    const history = await app.parley.ctx.db
      .select()
      .from(agentPresenceChanges)
      .where(
        and(
          eq(agentPresenceChanges.accountId, acme.accountId),
          eq(agentPresenceChanges.userId, agent.userId),
        ),
      )
      .orderBy(asc(agentPresenceChanges.id));

    expect(before).toMatchObject({ userId: uuid, connectionStatus: 'Offline', activeChannels: [] });
    expect(before).not.toHaveProperty('presenceStatus');
    expect(online).toMatchObject({ connectionStatus: 'Online', presenceStatus: 'Working' });
    expect([...(online.activeChannels ?? [])].sort()).toEqual(['Email', 'WidgetChat']);
    expect(Date.parse(online.lastSeen!)).toBeGreaterThanOrEqual(Date.parse(online.requestTime) - 60_000);
    expect(away).toMatchObject({ connectionStatus: 'Online', presenceStatus: 'Away' });
    expect(offline.lastSeen).toBeDefined();
    expect(history.map((row) => [row.cause, row.previousAvailability, row.availability])).toEqual([
      ['connected', 'offline', 'online'],
      ['changed', 'online', 'busy'],
      ['changed', 'busy', 'online'],
      ['disconnected', 'online', 'offline'],
    ]);
    expect(history.every((row, index) => index === 0 || row.at >= history[index - 1]!.at)).toBe(true);
  }, 60_000);

  it("lists the organization's presence in pages, and a team's for its members only", async () => {
    for (const index of [0, 2]) {
      const added = await inject({
        method: 'POST',
        url: `/api/v1/accounts/${acme.accountId}/members`,
        headers: bearer(TEST_PLATFORM_TOKEN),
        payload: { email: `p${index}@acme.example`, name: `P ${index}`, role: 'agent' },
      });
      expect(added.statusCode, added.body).toBe(201);
    }
    const connected = await addSignedInMember(app, acme.accountId, { email: 'p1@acme.example', name: 'P 1' });
    const team = await acme.call('POST', '/v1/teams', { name: 'Presence team' });
    const teamId = team.json<{ data: { id: string } }>().data.id;
    const memberUuid = await agentUuid('p1@acme.example');
    await acme.call('PATCH', `/v1/teams/${teamId}/agents`, { agentIds: [memberUuid] });
    await sockets.connect(base, acme.accountId, connected.token);
    await waitFor(async () => (await presenceOf(memberUuid)).connectionStatus === 'Online', {
      what: 'the team member online',
    });

    const first = await acme.call('GET', '/v1/agents/presence?pageLimit=2');
    const firstBody = first.json<{ data: unknown[]; meta: { next?: string } }>();
    const rest = await acme.call('GET', firstBody.meta.next!.replace(/^\/dixa/, ''));
    const teamPresence = await acme.call('GET', `/v1/teams/${teamId}/presence`);
    const all = [...firstBody.data, ...rest.json<{ data: unknown[] }>().data].map((row) =>
      seedPresence.parse(row),
    );

    expect(first.statusCode).toBe(200);
    expect(firstBody.data).toHaveLength(2);
    expect(all.map((row) => row.userId)).toContain(memberUuid);
    expect(new Set(all.map((row) => row.userId)).size).toBe(all.length);
    expect(teamPresence.json<{ data: SeedPresence[] }>().data).toEqual([
      expect.objectContaining({ userId: memberUuid, connectionStatus: 'Online', presenceStatus: 'Working' }),
    ]);
  }, 60_000);

  it("shows no presence of another organization's agents (404 and empty lists)", async () => {
    const uuid = await agentUuid('live@acme.example');

    const single = await globex.call('GET', `/v1/agents/${uuid}/presence`);
    const list = await globex.call('GET', '/v1/agents/presence');

    expect(single.statusCode).toBe(404);
    expect(single.json()).toEqual({ message: 'Agent not found' });
    expect(list.json<{ data: unknown[] }>().data).toEqual([]);
  });
});
