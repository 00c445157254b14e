import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createUser } from '../../core/identity/users.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';

// A pass-through spy on the one credential lookup, to see which requests reach the database.
const lookups = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../core/identity/authenticate.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../core/identity/authenticate.js')>();
  return {
    ...original,
    resolveToken: (...args: Parameters<typeof original.resolveToken>) => {
      lookups.count += 1;
      return original.resolveToken(...args);
    },
  };
});

const inventedToken = () => `pk_${randomBytes(24).toString('base64url')}`;

describe(`rate limits (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_RATE_LIMIT_MAX: 5, PARLEY_AUTH_RATE_LIMIT_MAX: 2 });
    inject = injector(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 429 in the native body with Retry-After once a token uses up its window, sparing other tokens', async () => {
    const first = await seedAccount(app, 'Busy');
    const second = await seedAccount(app, 'Quiet');
    const url = `/api/v1/accounts/${first.accountId}`;

    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await inject({ method: 'GET', url, headers: bearer(first.apiKey) })).statusCode);
    }
    const limited = await inject({ method: 'GET', url, headers: bearer(first.apiKey) });
    const other = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${second.accountId}`,
      headers: bearer(second.apiKey),
    });

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(other.statusCode).toBe(200);
  });

  it('limits sign-in attempts per client more tightly than the API', async () => {
    const attempt = () =>
      inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'nobody@example.test', password: 'guess' },
      });

    const statuses = [
      (await attempt()).statusCode,
      (await attempt()).statusCode,
      (await attempt()).statusCode,
    ];

    expect(statuses).toEqual([401, 401, 429]);
  });

  it('never limits health checks', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1)
      statuses.push((await inject({ method: 'GET', url: '/health' })).statusCode);

    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

describe(`rate limits by principal and failed authentication (${backendName})`, () => {
  const FAILED_AUTH_MAX = 10;
  const PER_PRINCIPAL_MAX = 20;
  let app: TestApp;
  let inject: ReturnType<typeof injector>;

  beforeAll(async () => {
    app = await createTestApp({
      PARLEY_RATE_LIMIT_MAX: PER_PRINCIPAL_MAX,
      PARLEY_FAILED_AUTH_RATE_LIMIT_MAX: FAILED_AUTH_MAX,
    });
    inject = injector(app);
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    lookups.count = 0;
  });

  it('refuses a client inventing tokens after the failed-auth budget, without looking the rest up', async () => {
    const responses = [];
    for (let i = 0; i < 50; i += 1) {
      responses.push(
        await inject({
          method: 'GET',
          url: '/api/v1/accounts',
          headers: bearer(inventedToken()),
          remoteAddress: '203.0.113.10',
        }),
      );
    }

    const statuses = responses.map((response) => response.statusCode);
    expect(statuses).toEqual([...Array<number>(FAILED_AUTH_MAX).fill(401), ...Array<number>(40).fill(429)]);
    expect(lookups.count).toBe(FAILED_AUTH_MAX);
    const limited = responses[FAILED_AUTH_MAX];
    expect(limited?.json().error.code).toBe('rate_limited');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers that 429 with Retry-After in the Chatwoot and Modjo error bodies', async () => {
    const exhaust = async (request: (token: string) => Promise<{ statusCode: number }>) => {
      for (let i = 0; i < FAILED_AUTH_MAX; i += 1)
        expect((await request(inventedToken())).statusCode).toBe(401);
    };
    const chatwoot = (token: string) =>
      inject({
        method: 'GET',
        url: '/chatwoot/api/v1/profile',
        headers: { api_access_token: token },
        remoteAddress: '203.0.113.20',
      });
    const modjo = (token: string) =>
      inject({
        method: 'GET',
        url: '/modjo/v1/users',
        headers: { 'x-api-key': token },
        remoteAddress: '203.0.113.30',
      });

    await exhaust(chatwoot);
    await exhaust(modjo);
    const chatwootLimited = await chatwoot(inventedToken());
    const modjoLimited = await modjo(inventedToken());

    expect(chatwootLimited.statusCode).toBe(429);
    expect(chatwootLimited.json()).toEqual({
      description: expect.stringContaining('Rate limit'),
      errors: [],
    });
    expect(Number(chatwootLimited.headers['retry-after'])).toBeGreaterThan(0);
    expect(modjoLimited.statusCode).toBe(429);
    expect(modjoLimited.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(modjoLimited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("does not limit an authenticated principal for another client's failures", async () => {
    const { accountId, apiKey } = await seedAccount(app, 'Neighbour');
    for (let i = 0; i < FAILED_AUTH_MAX + 5; i += 1) {
      await inject({
        method: 'GET',
        url: `/api/v1/accounts/${accountId}`,
        headers: bearer(inventedToken()),
        remoteAddress: '203.0.113.40',
      });
    }

    const elsewhere = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountId}`,
      headers: bearer(apiKey),
      remoteAddress: '198.51.100.40',
    });
    // Behind the same address (an office NAT), a token that authenticated recently still gets through.
    const sameAddress = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountId}`,
      headers: bearer(apiKey),
      remoteAddress: '203.0.113.40',
    });

    expect(elsewhere.statusCode).toBe(200);
    expect(sameAddress.statusCode).toBe(200);
  });

  it("counts two tokens of one user, from two addresses, against that user's one budget", async () => {
    const user = await createUser(app.parley.ctx.db, { email: 'shared@example.test', name: 'Shared' });
    const first = await createAccessToken(app.parley.ctx.db, { userId: user.id, name: 'laptop' });
    const second = await createAccessToken(app.parley.ctx.db, { userId: user.id, name: 'phone' });
    const me = (token: string, remoteAddress: string) =>
      inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token), remoteAddress });

    const statuses: number[] = [];
    for (let i = 0; i < PER_PRINCIPAL_MAX / 2; i += 1) {
      statuses.push((await me(first.token, '198.51.100.1')).statusCode);
      statuses.push((await me(second.token, '198.51.100.2')).statusCode);
    }
    const overFirst = await me(first.token, '198.51.100.1');
    const overSecond = await me(second.token, '198.51.100.3');

    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(overFirst.statusCode).toBe(429);
    expect(overSecond.statusCode).toBe(429);
    expect(overSecond.json().error.code).toBe('rate_limited');
  });

  it('counts requests without credentials per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= PER_PRINCIPAL_MAX; i += 1) {
      statuses.push(
        (await inject({ method: 'GET', url: '/api/v1/accounts', remoteAddress: '192.0.2.77' })).statusCode,
      );
    }
    const otherClient = await inject({ method: 'GET', url: '/api/v1/accounts', remoteAddress: '192.0.2.78' });

    expect(statuses.slice(0, PER_PRINCIPAL_MAX)).toEqual(Array<number>(PER_PRINCIPAL_MAX).fill(401));
    expect(statuses[PER_PRINCIPAL_MAX]).toBe(429);
    expect(otherClient.statusCode).toBe(401);
    expect(lookups.count).toBe(0);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)(
  `rate limits shared between nodes through Redis (${backendName}, needs TEST_REDIS_URL)`,
  () => {
    const FAILED_AUTH_MAX = 6;
    let nodes: TestApp[] = [];

    beforeAll(async () => {
      const config = { REDIS_URL: redisUrl, PARLEY_FAILED_AUTH_RATE_LIMIT_MAX: FAILED_AUTH_MAX };
      nodes = [await createTestApp(config), await createTestApp(config)];
    });
    afterAll(async () => {
      for (const node of nodes) await node.close();
    });
    beforeEach(() => {
      lookups.count = 0;
    });

    it('refuses on one node a client whose invented tokens failed on another, without a lookup', async () => {
      const [first, second] = nodes.map(injector);
      // A fresh address per run: the Redis counters outlive this test by a minute.
      const remoteAddress = `10.${randomBytes(3).join('.')}`;
      const attempt = (inject: typeof first) =>
        inject?.({ method: 'GET', url: '/api/v1/accounts', headers: bearer(inventedToken()), remoteAddress });

      const statuses: number[] = [];
      for (let i = 0; i < FAILED_AUTH_MAX; i += 1) statuses.push((await attempt(first))?.statusCode ?? 0);
      const elsewhere = await attempt(second);

      expect(statuses).toEqual(Array<number>(FAILED_AUTH_MAX).fill(401));
      expect(elsewhere?.statusCode).toBe(429);
      expect(Number(elsewhere?.headers['retry-after'])).toBeGreaterThan(0);
      expect(lookups.count).toBe(FAILED_AUTH_MAX);
    });
  },
);
