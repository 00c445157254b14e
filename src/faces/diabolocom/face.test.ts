import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiabolocomTestApp, type DiabolocomTestAccount, type Inject } from './diabolocom-test-kit.js';
import type { TestApp } from '../../testing/app.js';

let app: TestApp;
let inject: Inject;
let account: DiabolocomTestAccount;

beforeAll(async () => {
  const created = await createDiabolocomTestApp();
  app = created.app;
  inject = created.inject;
  account = await created.account('Diabolocom face');
});

afterAll(() => app.close());

describe('the Diabolocom face', () => {
  it('answers a missing, malformed or unknown token with 401 error.unauthorized', async () => {
    const path = '/diabolocom/api/v1/voice/campaigns';
    const missing = await inject({ method: 'GET', url: path });
    const bare = await inject({ method: 'GET', url: path, headers: { authorization: account.apiKey } });
    const unknown = await inject({ method: 'GET', url: path, headers: { authorization: 'Bearer nope-123' } });
    for (const response of [missing, bare, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ status: 401, error: 'error.unauthorized' });
      expect(typeof response.json<{ message: string }>().message).toBe('string');
    }
  });

  it('accepts the Bearer scheme in any case', async () => {
    const response = await inject({
      method: 'GET',
      url: '/diabolocom/api/v1/voice/campaigns',
      headers: { AUTHORIZATION: `bearer ${account.apiKey}` },
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers a wrong method on a known path with 405 error.method.not.allowed', async () => {
    const wrong = [
      ['PUT', '/api/v1/voice/campaigns/1'],
      ['POST', '/api/v2/voice/campaigns/contact-batch/status/abc'],
      ['GET', '/api/v2/voice/campaigns/1/contact-batch/create'],
      ['DELETE', '/api/v1/account/wrapups'],
      ['POST', '/api/v1/recordings/interactions/1/content'],
    ] as const;
    for (const [method, path] of wrong) {
      const response = await account.call(method, path);
      expect(response.statusCode, `${method} ${path}`).toBe(405);
      expect(response.json()).toMatchObject({ status: 405, error: 'error.method.not.allowed' });
    }
  });

  it('answers an unknown path with 404 in the same body', async () => {
    const response = await account.call('GET', '/api/v3/nothing');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status: 404, error: 'error.not.found' });
  });

  it('answers unparseable JSON with 400 error.bad.request', async () => {
    const response = await inject({
      method: 'PATCH',
      url: '/diabolocom/api/v1/voice/campaigns/1',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, error: 'error.bad.request' });
  });
});
