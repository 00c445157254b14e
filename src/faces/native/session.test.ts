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

const CSRF = { 'x-parley-csrf': '1' };
const PASSWORD = 'correct-horse-battery';
const THIRTY_DAYS = 30 * 24 * 60 * 60;

/** `parley_session=<token>` out of a Set-Cookie header, ready to send back as a Cookie header. */
function sessionCookieOf(response: LightMyRequestResponse): string {
  const header = String(response.headers['set-cookie']);
  const pair = header.split(';')[0] ?? '';
  expect(pair).toMatch(/^parley_session=pat_.+/);
  return pair;
}

function attributesOf(response: LightMyRequestResponse): string[] {
  return String(response.headers['set-cookie'])
    .split(';')
    .slice(1)
    .map((attribute) => attribute.trim());
}

async function addMember(
  app: TestApp,
  accountId: number,
  member: { email: string; name: string; password?: string },
) {
  const response = await injector(app)({
    method: 'POST',
    url: `/api/v1/accounts/${accountId}/members`,
    headers: bearer(TEST_PLATFORM_TOKEN),
    payload: { ...member, role: 'agent' },
  });
  expect(response.statusCode, response.body).toBe(201);
}

describe(`web app session cookie (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };

  const signIn = (email: string, password: string, headers: Record<string, string> = CSRF) =>
    inject({ method: 'POST', url: '/api/v1/auth/session', headers, payload: { email, password } });

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_AUTH_RATE_LIMIT_MAX: 100 });
    inject = injector(app);
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    await addMember(app, acme.accountId, { email: 'ada@acme.test', name: 'Ada', password: PASSWORD });
    // Someone of another tenant, so the session's memberships must be only Ada's own.
    await addMember(app, globex.accountId, { email: 'gus@globex.test', name: 'Gus', password: PASSWORD });
  });
  afterAll(async () => {
    await app.close();
  });

  it('signs in: sets an HttpOnly, SameSite=Lax cookie and answers the user with their accounts', async () => {
    const response = await signIn('ada@acme.test', PASSWORD);

    expect(response.statusCode, response.body).toBe(200);
    sessionCookieOf(response);
    expect(attributesOf(response)).toEqual(
      expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${THIRTY_DAYS}`]),
    );
    // Plain HTTP here: a Secure cookie would never come back.
    expect(attributesOf(response)).not.toContain('Secure');
    expect(response.json()).toEqual({
      user: expect.objectContaining({ name: 'Ada', email: 'ada@acme.test', avatarUrl: null }),
      memberships: [{ accountId: acme.accountId, accountName: 'Acme', role: 'agent' }],
    });
    // The token never shows in the body: page scripts must not be able to read it.
    expect(response.body).not.toContain('pat_');
  });

  it('marks the cookie Secure when the request came over HTTPS (through a TLS proxy)', async () => {
    const response = await signIn('ada@acme.test', PASSWORD, { ...CSRF, 'x-forwarded-proto': 'https' });

    expect(response.statusCode).toBe(200);
    expect(attributesOf(response)).toContain('Secure');
  });

  it('answers a wrong password and an unknown email with the same 401 and no cookie', async () => {
    const wrong = await signIn('ada@acme.test', 'not-the-password');
    const unknown = await signIn('nobody@acme.test', PASSWORD);

    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.json().error).toMatchObject({
        code: 'unauthenticated',
        message: 'Invalid email or password',
      });
    }
  });

  it('refuses to sign in without the CSRF header (a cross-site form cannot sign a victim in)', async () => {
    const response = await signIn('ada@acme.test', PASSWORD, {});

    expect(response.statusCode).toBe(403);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.json().error.message).toContain('X-Parley-CSRF: 1');
  });

  it('authenticates GET /api/v1/me with the cookie, memberships naming their accounts', async () => {
    const cookie = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
    const me = await inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    const tokens = await inject({ method: 'GET', url: '/api/v1/me/tokens', headers: { cookie } });

    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({
      kind: 'user',
      user: { email: 'ada@acme.test' },
      memberships: [{ accountId: acme.accountId, accountName: 'Acme', role: 'agent' }],
    });
    expect(tokens.json().data[0]).toMatchObject({ name: 'web session', revokedAt: null });
  });

  it("does not open another tenant's account to the cookie", async () => {
    const cookie = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
    const own = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${acme.accountId}`,
      headers: { cookie },
    });
    const other = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${globex.accountId}`,
      headers: { cookie },
    });

    expect(own.statusCode).toBe(200);
    expect(other.statusCode).toBe(404);
  });

  it('refuses a cookie-authenticated POST without X-Parley-CSRF and accepts it with the header', async () => {
    const cookie = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
    const create = (headers: Record<string, string>) =>
      inject({ method: 'POST', url: '/api/v1/me/tokens', headers, payload: { name: 'cli' } });

    const forged = await create({ cookie });
    const wrongValue = await create({ cookie, 'x-parley-csrf': 'yes' });
    const genuine = await create({ cookie, ...CSRF });

    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toEqual({
      error: {
        code: 'forbidden',
        message: expect.stringContaining('X-Parley-CSRF: 1'),
        details: [],
        requestId: expect.any(String),
      },
    });
    expect(wrongValue.statusCode).toBe(403);
    expect(genuine.statusCode, genuine.body).toBe(201);
    const tokens = await inject({ method: 'GET', url: '/api/v1/me/tokens', headers: { cookie } });
    // Only the genuine request made a token.
    expect(tokens.json().data.filter((token: { name: string }) => token.name === 'cli')).toHaveLength(1);
  });

  it('lets a Bearer header win over the cookie', async () => {
    const cookie = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
    const badBearer = await inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie, ...bearer('pat_not-a-real-token') },
    });
    // An API key's write needs no CSRF header, cookie or not: the browser never adds a Bearer.
    const keyWrite = await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${acme.accountId}`,
      headers: { cookie, ...bearer(acme.apiKey) },
      payload: { name: 'Acme' },
    });

    expect(badBearer.statusCode).toBe(401);
    expect(keyWrite.statusCode, keyWrite.body).toBe(200);
  });

  it('signs out: revokes the token, clears the cookie, and the cookie no longer works', async () => {
    const cookie = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
    const forged = await inject({ method: 'DELETE', url: '/api/v1/auth/session', headers: { cookie } });
    const stillIn = await inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    const signOut = await inject({
      method: 'DELETE',
      url: '/api/v1/auth/session',
      headers: { cookie, ...CSRF },
    });
    const after = await inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    const again = await inject({
      method: 'DELETE',
      url: '/api/v1/auth/session',
      headers: { cookie, ...CSRF },
    });

    expect(forged.statusCode).toBe(403);
    expect(stillIn.statusCode).toBe(200);
    expect(signOut.statusCode).toBe(204);
    expect(String(signOut.headers['set-cookie'])).toMatch(/^parley_session=;/);
    expect(attributesOf(signOut)).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'Max-Age=0']));
    expect(after.statusCode).toBe(401);
    // Signing out twice, or with no cookie at all, still ends signed out.
    expect(again.statusCode).toBe(204);
    const bare = await inject({ method: 'DELETE', url: '/api/v1/auth/session' });
    expect(bare.statusCode).toBe(204);
  });

  it("signing out revokes only that session's token", async () => {
    const first = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
    const second = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
    await inject({ method: 'DELETE', url: '/api/v1/auth/session', headers: { cookie: first, ...CSRF } });
    const other = await inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: second } });

    expect(other.statusCode).toBe(200);
  });

  describe('real-time WebSocket with the cookie', () => {
    let base: string;
    let ownOrigin: string;

    beforeAll(async () => {
      await app.parley.startBackground();
      await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.parley.server.server.address() as AddressInfo;
      base = `ws://127.0.0.1:${port}`;
      ownOrigin = `http://127.0.0.1:${port}`;
    });

    function connect(
      cookie: string,
      origin: string | undefined,
    ): Promise<{ socket: WebSocket; messages: { type: string }[]; closed: Promise<number> }> {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(`${base}/api/v1/accounts/${acme.accountId}/realtime`, {
          headers: { cookie },
          ...(origin && { origin }),
        });
        const messages: { type: string }[] = [];
        const closed = new Promise<number>((settle) => socket.on('close', (code) => settle(code)));
        socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
        socket.on('open', () => resolve({ socket, messages, closed }));
        socket.on('unexpected-response', (_request, response) =>
          reject(new Error(`upgrade refused: ${response.statusCode}`)),
        );
        socket.on('error', reject);
      });
    }

    it('refuses the upgrade from a foreign Origin or without one (cross-site WebSocket hijacking)', async () => {
      const cookie = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));

      await expect(connect(cookie, 'https://evil.example')).rejects.toThrow('upgrade refused: 403');
      await expect(connect(cookie, 'http://127.0.0.1:1')).rejects.toThrow('upgrade refused: 403');
      await expect(connect(cookie, undefined)).rejects.toThrow('upgrade refused: 403');
    });

    it('accepts it from its own Origin, and signing out closes the socket', async () => {
      const cookie = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
      const client = await connect(cookie, ownOrigin);
      await waitFor(() => client.messages.some((message) => message.type === 'connection.ready'), {
        what: 'connection.ready',
      });

      await inject({ method: 'DELETE', url: '/api/v1/auth/session', headers: { cookie, ...CSRF } });

      expect(await client.closed).toBe(4401);
    });

    it("refuses another tenant's stream to the cookie even from its own Origin", async () => {
      const cookie = sessionCookieOf(await signIn('ada@acme.test', PASSWORD));
      const socket = new WebSocket(`${base}/api/v1/accounts/${globex.accountId}/realtime`, {
        headers: { cookie },
        origin: ownOrigin,
      });
      const status = await new Promise<number>((resolve) => {
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
      });

      expect(status).toBe(404);
    });
  });
});

describe(`web app sign-in rate limit (${backendName})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_AUTH_RATE_LIMIT_MAX: 2 });
  });
  afterAll(async () => {
    await app.close();
  });

  it('limits sign-in attempts per client like /v1/auth/login', async () => {
    const attempt = () =>
      injector(app)({
        method: 'POST',
        url: '/api/v1/auth/session',
        headers: CSRF,
        payload: { email: 'nobody@acme.test', password: 'guess' },
      });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await attempt()).statusCode);

    expect(statuses).toEqual([401, 401, 429]);
  });
});
