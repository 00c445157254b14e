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
import { waitFor } from '../../testing/wait.js';
import { seedAgent } from '../chatwoot/conversations.test-kit.js';
import { addSignedInMember } from '../dixa/agents.test-kit.js';
import { listenForSockets, trackedSockets } from './realtime-client.test-kit.js';

type Method = 'GET' | 'PUT';
interface Presence {
  userId: number;
  name: string;
  email: string;
  role: string;
  connectionStatus: 'Online' | 'Offline';
  presenceStatus: 'Working' | 'Away' | null;
  lastSeenAt: string | null;
}

describe(`native presence: the account's agents and one's own Working/Away (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let base: string;
  const sockets = trackedSockets();

  const call = (
    method: Method,
    path: string,
    token: string,
    options: { account?: number; body?: object } = {},
  ) =>
    inject({
      method,
      url: `/api/v1/accounts/${String(options.account ?? acme.accountId)}${path}`,
      headers: bearer(token),
      ...(options.body ? { payload: options.body } : {}),
    });
  const everyone = async (token: string) =>
    (await call('GET', '/presence?limit=200', token)).json<{ data: Presence[] }>().data;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    acme = await seedAccount(app, 'Acme presence');
    globex = await seedAccount(app, 'Globex presence');
    await app.parley.startBackground();
    base = await listenForSockets(app.parley);
  }, 120_000);
  afterAll(async () => {
    sockets.terminateAll();
    await app.close();
  });

  it('goes Online/Working on connect, Away and back by its own switch, told live and to the Dixa face', async () => {
    const agent = await addSignedInMember(app, acme.accountId, { email: 'ana@acme.example', name: 'Ana' });
    const admin = await addSignedInMember(app, acme.accountId, {
      email: 'boss@acme.example',
      name: 'Boss',
      role: 'administrator',
    });
    const before = (await everyone(admin.token)).find((row) => row.userId === agent.userId);
    const watcher = await sockets.connect(base, acme.accountId, admin.token);
    await sockets.connect(base, acme.accountId, agent.token);
    await waitFor(
      async () =>
        (await everyone(admin.token)).find((row) => row.userId === agent.userId)?.connectionStatus ===
        'Online',
      { what: 'Ana online' },
    );
    const connected = (await everyone(admin.token)).find((row) => row.userId === agent.userId);

    const away = await call('PUT', '/presence/me', agent.token, { body: { presenceStatus: 'Away' } });
    const seenAway = (await everyone(admin.token)).find((row) => row.userId === agent.userId);
    const pushed = await waitFor(
      () =>
        watcher.messages.find(
          (frame) =>
            frame.type === 'member.updated' &&
            frame.payload?.userId === agent.userId &&
            frame.payload.availability === 'busy',
        ),
      { what: 'member.updated pushed to the administrator' },
    );
    const dixaUuid = (
      await inject({
        method: 'GET',
        url: '/dixa/v1/agents?email=ana%40acme.example',
        headers: { authorization: acme.apiKey },
      })
    ).json<{ data: { id: string }[] }>().data[0]!.id;
    const viaDixa = await inject({
      method: 'GET',
      url: `/dixa/v1/agents/${dixaUuid}/presence`,
      headers: { authorization: acme.apiKey },
    });
    const working = await call('PUT', '/presence/me', agent.token, { body: { presenceStatus: 'Working' } });
    const own = await call('GET', '/presence/me', agent.token);

    expect(before).toMatchObject({
      name: 'Ana',
      email: 'ana@acme.example',
      role: 'agent',
      connectionStatus: 'Offline',
      presenceStatus: null,
    });
    expect(connected).toMatchObject({ connectionStatus: 'Online', presenceStatus: 'Working' });
    expect(Date.parse(connected!.lastSeenAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(away.statusCode, away.body).toBe(200);
    expect(away.json()).toMatchObject({
      userId: agent.userId,
      connectionStatus: 'Online',
      presenceStatus: 'Away',
    });
    // Last seen moves with token use; the rest is what the list shows too.
    expect({ ...seenAway, lastSeenAt: null }).toEqual({ ...away.json<Presence>(), lastSeenAt: null });
    expect(pushed.accountId).toBe(acme.accountId);
    expect(viaDixa.json<{ data: unknown }>().data).toMatchObject({
      connectionStatus: 'Online',
      presenceStatus: 'Away',
    });
    expect(working.json()).toMatchObject({ presenceStatus: 'Working' });
    expect(own.json()).toMatchObject({
      userId: agent.userId,
      connectionStatus: 'Online',
      presenceStatus: 'Working',
    });
  }, 60_000);

  it('pages through every member by user id', async () => {
    const admin = await seedAgent(app, acme.accountId, { role: 'administrator', availability: 'busy' });
    const all = await everyone(admin.token);
    const walked: Presence[] = [];
    let cursor: number | null = null;
    do {
      const page = await call(
        'GET',
        `/presence?limit=2${cursor === null ? '' : `&cursor=${String(cursor)}`}`,
        admin.token,
      );
      const body = page.json<{ data: Presence[]; nextCursor: number | null }>();
      expect(body.data.length).toBeLessThanOrEqual(2);
      walked.push(...body.data);
      cursor = body.nextCursor;
    } while (cursor !== null);

    expect(walked.map((row) => row.userId)).toEqual(all.map((row) => row.userId));
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.find((row) => row.userId === admin.userId)).toMatchObject({
      connectionStatus: 'Online',
      presenceStatus: 'Away',
    });
    expect(all.map((row) => row.userId)).toEqual([...all.map((row) => row.userId)].sort((a, b) => a - b));
  });

  it('refuses bad input, non-users and other tenants, and changes nothing', async () => {
    const agent = await seedAgent(app, acme.accountId, { availability: 'online' });
    const outsider = await seedAgent(app, globex.accountId);

    const bad = await Promise.all(
      [
        { presenceStatus: 'Sleeping' },
        { presenceStatus: 'busy' },
        {},
        { presenceStatus: 'Away', until: 'noon' },
      ].map((body) => call('PUT', '/presence/me', agent.token, { body })),
    );
    const withApiKey = await call('PUT', '/presence/me', acme.apiKey, { body: { presenceStatus: 'Away' } });
    const withPlatform = await call('PUT', '/presence/me', TEST_PLATFORM_TOKEN, {
      body: { presenceStatus: 'Away' },
    });
    const ownWithApiKey = await call('GET', '/presence/me', acme.apiKey);
    const otherAccount = await call('PUT', '/presence/me', outsider.token, {
      body: { presenceStatus: 'Away' },
    });
    const otherList = await call('GET', '/presence', globex.apiKey);
    const globexList = await call('GET', '/presence', globex.apiKey, { account: globex.accountId });
    const noToken = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${String(acme.accountId)}/presence`,
    });
    const after = (await everyone(acme.apiKey)).find((row) => row.userId === agent.userId);

    expect(bad.map((response) => response.statusCode)).toEqual([422, 422, 422, 422]);
    expect(bad[0]!.json<{ error: { details: { path: string }[] } }>().error.details[0]?.path).toBe(
      'body.presenceStatus',
    );
    expect([withApiKey.statusCode, withPlatform.statusCode, ownWithApiKey.statusCode]).toEqual([
      403, 403, 403,
    ]);
    expect(otherAccount.statusCode).toBe(404);
    expect(otherList.statusCode).toBe(404);
    expect(globexList.json<{ data: Presence[] }>().data.map((row) => row.userId)).toEqual([outsider.userId]);
    expect(noToken.statusCode).toBe(401);
    expect(after).toMatchObject({ connectionStatus: 'Online', presenceStatus: 'Working' });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const methodsOf = (operations: Record<string, unknown>) =>
      Object.keys(operations)
        .filter((method) => method !== 'head')
        .sort();
    const document = (await inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();

    expect(methodsOf(document.paths['/api/v1/accounts/{accountId}/presence'] ?? {})).toEqual(['get']);
    expect(methodsOf(document.paths['/api/v1/accounts/{accountId}/presence/me'] ?? {})).toEqual([
      'get',
      'put',
    ]);
  });
});
