import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LightMyRequestResponse } from 'fastify';
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
import { VirtualClock } from '../../core/telephony/clock.js';

const CSRF = { 'x-parley-csrf': '1' };
const PASSWORD = 'correct-horse-battery';
const HOUR_MS = 60 * 60 * 1000;
const IDLE_HOURS = 12;
const LIFETIME_DAYS = 2;

function sessionCookieOf(response: LightMyRequestResponse): string {
  expect(response.statusCode, response.body).toBe(200);
  const pair = String(response.headers['set-cookie']).split(';')[0] ?? '';
  expect(pair).toMatch(/^parley_session=pat_.+/);
  return pair;
}

/**
 * Web sessions end server-side after PARLEY_SESSION_IDLE_MINUTES unused or
 * PARLEY_SESSION_LIFETIME_DAYS after sign-in. Time moves on the app's virtual clock, never by sleeping.
 */
describe(`web session expiry (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let accountId: number;
  const clock = new VirtualClock(new Date());

  const signIn = async () =>
    sessionCookieOf(
      await inject({
        method: 'POST',
        url: '/api/v1/auth/session',
        headers: CSRF,
        payload: { email: 'ada@acme.test', password: PASSWORD },
      }),
    );
  const me = (headers: Record<string, string>) => inject({ method: 'GET', url: '/api/v1/me', headers });
  const statusAfter = async (hours: number, headers: Record<string, string>) => {
    clock.advance(hours * HOUR_MS);
    return (await me(headers)).statusCode;
  };

  beforeAll(async () => {
    app = await createTestApp(
      {
        PARLEY_SESSION_IDLE_MINUTES: IDLE_HOURS * 60,
        PARLEY_SESSION_LIFETIME_DAYS: LIFETIME_DAYS,
        PARLEY_REALTIME_RECHECK_MS: 50,
        PARLEY_AUTH_RATE_LIMIT_MAX: 100,
      },
      { clock },
    );
    inject = injector(app);
    accountId = (await seedAccount(app, 'Acme')).accountId;
    const added = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${String(accountId)}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: 'ada@acme.test', name: 'Ada', password: PASSWORD, role: 'agent' },
    });
    expect(added.statusCode, added.body).toBe(201);
  });
  afterAll(async () => {
    await app.close();
  });

  it('keeps the browser cookie as long as the session can live', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/auth/session',
      headers: CSRF,
      payload: { email: 'ada@acme.test', password: PASSWORD },
    });

    expect(String(response.headers['set-cookie'])).toContain(`Max-Age=${String(LIFETIME_DAYS * 86_400)}`);
  });

  it('stays signed in while used, and ends after the idle limit without use', async () => {
    const cookie = await signIn();

    const busy = [await statusAfter(11, { cookie }), await statusAfter(11, { cookie })];
    const idle = await statusAfter(IDLE_HOURS + 0.1, { cookie });

    expect(busy).toEqual([200, 200]);
    expect(idle).toBe(401);
  });

  it('ends at the absolute lifetime however busy the session is', async () => {
    const cookie = await signIn();
    const statuses: number[] = [];

    // Used every 10 hours: never idle, but 50 hours is past the two-day lifetime.
    for (let hours = 10; hours <= 50; hours += 10) statuses.push(await statusAfter(10, { cookie }));

    expect(statuses).toEqual([200, 200, 200, 200, 401]);
  });

  it('ends the token itself, not only the cookie: the same token as a Bearer header is refused too', async () => {
    const cookie = await signIn();
    const token = cookie.slice('parley_session='.length);

    const before = await me(bearer(token));
    const after = await statusAfter(IDLE_HOURS + 1, bearer(token));

    expect(before.statusCode).toBe(200);
    expect(after).toBe(401);
    expect((await me({ cookie })).statusCode).toBe(401);
  });

  it('leaves other personal tokens alone: they live until revoked', async () => {
    const login = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ada@acme.test', password: PASSWORD },
    });
    const token = login.json<{ token: string }>().token;

    const afterIdle = await statusAfter(IDLE_HOURS + 1, bearer(token));
    const afterLifetime = await statusAfter(LIFETIME_DAYS * 24 + 1, bearer(token));

    expect([afterIdle, afterLifetime]).toEqual([200, 200]);
  });

  it('closes a real-time socket opened with the session once the session has expired', async () => {
    await app.parley.startBackground();
    await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.parley.server.server.address() as AddressInfo;
    const cookie = await signIn();
    const socket = new WebSocket(
      `ws://127.0.0.1:${String(port)}/api/v1/accounts/${String(accountId)}/realtime`,
      {
        headers: { cookie },
        origin: `http://127.0.0.1:${String(port)}`,
      },
    );
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    const messages: string[] = [];
    socket.on('message', (data: Buffer) => messages.push(data.toString('utf8')));
    await waitFor(() => messages.some((message) => message.includes('connection.ready')), {
      what: 'connection.ready',
    });

    clock.advance((IDLE_HOURS + 1) * HOUR_MS);

    expect(await closed).toBe(4401);
  });
});
