import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';

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
