import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import type { TestApp } from '../../testing/app.js';

describe('Dixa face: authentication, errors and the per-token rate limit', () => {
  let app: TestApp;
  let inject: Inject;
  let org: DixaTestOrg;

  beforeAll(async () => {
    const created = await createDixaTestApp({
      PARLEY_DIXA_RATE_LIMIT_MAX: 5,
      PARLEY_DIXA_RATE_LIMIT_WINDOW_MS: 60_000,
    });
    app = created.app;
    inject = created.inject;
    org = await created.organization('Dixa face');
  });
  afterAll(() => app.close());

  it('answers a request without a token with 401 and a {message} body', async () => {
    const response = await inject({ method: 'GET', url: '/dixa/v1/agents' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ message: expect.stringMatching(/credentials/i) });
  });

  it('refuses an unknown token with 401', async () => {
    const response = await inject({
      method: 'GET',
      url: '/dixa/v1/agents',
      headers: { authorization: 'not-a-real-token' },
    });
    expect(response.statusCode).toBe(401);
    expect(Object.keys(response.json())).toEqual(['message']);
  });

  it('answers an unknown path with 404 {message}', async () => {
    const response = await org.call('GET', '/v1/no-such-resource');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ message: 'No route for GET /dixa/v1/no-such-resource' });
  });

  it('accepts the token bare and with a Bearer prefix, then limits the token with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let last;
    for (let index = 0; index < 7; index += 1) {
      last = await inject({
        method: 'GET',
        url: '/dixa/v1/no-such-resource',
        headers: { authorization: index % 2 === 0 ? org.apiKey : `Bearer ${org.apiKey}` },
      });
      statuses.push(last.statusCode);
    }
    // The earlier tests used one request of this token's budget of 5.
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429, 429]);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.json()).toEqual({ message: expect.stringMatching(/rate limit/i) });
  });
});
