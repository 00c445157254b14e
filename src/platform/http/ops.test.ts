import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { closedPort } from '../../testing/http-servers.js';

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

  it('keeps /metrics to local clients when neither a token nor a listen address is configured', async () => {
    const remote = await inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' });
    const proxied = await inject({
      method: 'GET',
      url: '/metrics',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    const local = await inject({ method: 'GET', url: '/metrics' });

    expect(remote.statusCode).toBe(403);
    expect(remote.json().error.code).toBe('forbidden');
    expect(remote.body).not.toContain('parley_');
    expect(proxied.statusCode).toBe(403);
    expect(local.statusCode).toBe(200);
  });

  it('puts security headers and no-store on API answers of every face, errors included', async () => {
    const { accountId, apiKey } = await seedAccount(app, 'Headers');
    const responses = [
      await inject({ method: 'GET', url: `/api/v1/accounts/${accountId}`, headers: bearer(apiKey) }),
      await inject({ method: 'GET', url: '/api/v1/accounts' }),
      await inject({
        method: 'GET',
        url: `/chatwoot/api/v1/accounts/${accountId}`,
        headers: { api_access_token: apiKey },
      }),
      await inject({ method: 'GET', url: '/modjo/v1/users', headers: { 'x-api-key': apiKey } }),
      await inject({ method: 'GET', url: '/nope' }),
    ];

    expect(responses.map((response) => response.statusCode)).toEqual([200, 401, 200, 400, 404]);
    for (const response of responses) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('gives the docs page a CSP that lets Swagger UI load its own assets, and nothing inline', async () => {
    const bare = await inject({ method: 'GET', url: '/docs' });
    const page = await inject({ method: 'GET', url: '/docs/' });
    const csp = String(page.headers['content-security-policy']);
    const scripts = [...page.body.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    const assets = [...page.body.matchAll(/(?:src|href)="\.\/(static\/[^"]+)"/g)].map((match) => match[1]);

    expect(bare.statusCode).toBe(200);
    expect(bare.headers['content-security-policy']).toBe(page.headers['content-security-policy']);
    expect(page.statusCode).toBe(200);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(scripts.length).toBeGreaterThan(0);
    // Every script is a same-origin file (no inline code a strict script-src would block).
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.\/static\//);
      expect(body?.trim()).toBe('');
    }
    expect(assets).toEqual(
      expect.arrayContaining(['static/swagger-ui.css', 'static/swagger-initializer.js']),
    );
    for (const asset of assets) {
      const response = await inject({ method: 'GET', url: `/docs/${asset ?? ''}` });
      expect(response.statusCode, asset).toBe(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
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

describe(`metrics behind a token and on their own address (${backendName})`, () => {
  const METRICS_TOKEN = 'metrics-token-0123456789';

  it('serves /metrics on PARLEY_METRICS_LISTEN only, and only to PARLEY_METRICS_TOKEN', async () => {
    const port = await closedPort();
    const app = await createTestApp({
      PARLEY_METRICS_LISTEN: `127.0.0.1:${port}`,
      PARLEY_METRICS_TOKEN: METRICS_TOKEN,
    });
    const url = `http://127.0.0.1:${port}/metrics`;
    try {
      const main = await injector(app)({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
      const missing = await fetch(url);
      const wrong = await fetch(url, { headers: bearer('not-the-metrics-token') });
      const right = await fetch(url, { headers: bearer(METRICS_TOKEN) });
      const other = await fetch(`http://127.0.0.1:${port}/health`);

      expect(main.statusCode).toBe(404);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toContain('Bearer');
      expect(await missing.text()).not.toContain('parley_');
      expect(wrong.status).toBe(401);
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('# TYPE parley_job_queue_depth gauge');
      expect(other.status).toBe(404);
    } finally {
      await app.close();
    }
    await expect(fetch(url)).rejects.toThrow();
  });
});
