import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';

describe(`operations endpoints (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers /health and /ready with the database kind once migrated', async () => {
    const health = await inject({ method: 'GET', url: '/health' });
    const ready = await inject({ method: 'GET', url: '/ready' });

    expect(health.json()).toEqual({ status: 'ok' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: backendName });
  });

  it('echoes a valid incoming request id and makes one up otherwise', async () => {
    const echoed = await inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-123' } });
    const generated = await inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'bad id with spaces' },
    });

    expect(echoed.headers['x-request-id']).toBe('trace-123');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes route latency histograms and queue depth to Prometheus', async () => {
    const { accountId, apiKey } = await seedAccount(app, 'Metered');
    await inject({ method: 'GET', url: `/api/v1/accounts/${accountId}`, headers: bearer(apiKey) });

    const metrics = await inject({ method: 'GET', url: '/metrics' });

    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain(
      'parley_http_request_duration_seconds_count{method="GET",route="/api/v1/accounts/:accountId",status_code="200"} 1',
    );
    expect(metrics.body).toContain('# TYPE parley_job_queue_depth gauge');
    expect(metrics.body).toContain('# TYPE parley_webhook_deliveries_total counter');
  });

  it('serves the native OpenAPI document generated from the routes, and the docs page', async () => {
    const openapi = await inject({ method: 'GET', url: '/api/openapi.json' });
    const docs = await inject({ method: 'GET', url: '/docs/' });

    const document = openapi.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/accounts',
        '/api/v1/accounts/{accountId}/webhooks',
        '/api/v1/accounts/{accountId}/jobs',
      ]),
    );
    expect(Object.keys(document.paths).every((path) => path.startsWith('/api/'))).toBe(true);
    expect(
      document.paths['/api/v1/accounts'].post.requestBody.content['application/json'].schema.required,
    ).toContain('name');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('answers unknown routes with a 404 in the native error body', async () => {
    const response = await inject({ method: 'GET', url: '/nope' });

    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
