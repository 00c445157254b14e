import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';

const SHOP = 'https://shop.example';
const ADMIN = 'https://admin.example';
const SCRIPT = 'console.log("parley widget");\n';

describe(`the chat widget's cross-origin routes (${backendName})`, () => {
  let app: TestApp;
  let allowListed: TestApp;
  let webDir: string;
  let account: { accountId: number; apiKey: string };
  let publicInbox: string;

  beforeAll(async () => {
    webDir = await mkdtemp(path.join(tmpdir(), 'parley-widget-'));
    await writeFile(path.join(webDir, 'widget.js'), SCRIPT);
    app = await createTestApp({ PARLEY_WEB_DIR: webDir });
    // A deployment that lets its own admin front end call the API with credentials.
    allowListed = await createTestApp({
      PARLEY_CORS_ORIGINS: [ADMIN],
      PARLEY_WEB_DIR: path.join(webDir, 'not-built'),
    });
    account = await seedAccount(app, 'Acme');
    const inbox = await app.parley.server.inject({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${account.accountId}/inboxes`,
      headers: { api_access_token: account.apiKey },
      payload: { name: 'Website', channel: { type: 'api' } },
    });
    expect(inbox.statusCode).toBe(200);
    publicInbox = `/chatwoot/public/api/v1/inboxes/${inbox.json<{ inbox_identifier: string }>().inbox_identifier}`;
  });
  afterAll(async () => {
    await app.close();
    await allowListed.close();
    await rm(webDir, { recursive: true, force: true });
  });

  const preflight = (target: TestApp, url: string, origin: string) =>
    injector(target)({
      method: 'OPTIONS',
      url,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('answers any origin on the client API, without credentials, and runs the request', async () => {
    const read = await injector(app)({ method: 'GET', url: publicInbox, headers: { origin: SHOP } });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe('*');
    expect(read.headers['access-control-allow-credentials']).toBeUndefined();

    const allowed = await preflight(app, `${publicInbox}/contacts`, SHOP);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('*');
    expect(allowed.headers['access-control-allow-methods']).toContain('POST');
    expect(allowed.headers['access-control-allow-headers']).toBe('content-type');

    // The widget's own writes are form-encoded: simple requests, answered with the header too.
    const created = await injector(app)({
      method: 'POST',
      url: `${publicInbox}/contacts`,
      headers: { origin: SHOP, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Visitor',
    });
    expect(created.statusCode).toBe(200);
    expect(created.headers['access-control-allow-origin']).toBe('*');
    expect(created.json()).toMatchObject({ name: 'Visitor', source_id: expect.any(String) });

    // An error from the client API is readable by the widget too (it shows why).
    const missing = await injector(app)({
      method: 'GET',
      url: '/chatwoot/public/api/v1/inboxes/no-such-inbox',
      headers: { origin: SHOP },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
  });

  it('keeps refusing other origins everywhere else', async () => {
    const native = await injector(app)({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/contacts`,
      headers: { ...bearer(account.apiKey), origin: SHOP },
    });
    expect(native.statusCode).toBe(200);
    expect(native.headers['access-control-allow-origin']).toBeUndefined();

    const application = await injector(app)({
      method: 'GET',
      url: `/chatwoot/api/v1/accounts/${account.accountId}/contacts`,
      headers: { api_access_token: account.apiKey, origin: SHOP },
    });
    expect(application.headers['access-control-allow-origin']).toBeUndefined();

    for (const url of [`/api/v1/accounts/${account.accountId}/contacts`, '/api/v1/session']) {
      const refused = await preflight(app, url, SHOP);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.statusCode).toBe(404);
    }
  });

  it('leaves an allow-listed origin its credentials on the API and gives the widget routes a wildcard', async () => {
    const api = await injector(allowListed)({ method: 'GET', url: '/health', headers: { origin: ADMIN } });
    expect(api.headers['access-control-allow-origin']).toBe(ADMIN);
    expect(api.headers['access-control-allow-credentials']).toBe('true');

    const widget = await injector(allowListed)({
      method: 'GET',
      url: '/chatwoot/public/api/v1/inboxes/no-such-inbox',
      headers: { origin: ADMIN },
    });
    expect(widget.headers['access-control-allow-origin']).toBe('*');
    expect(widget.headers['access-control-allow-credentials']).toBeUndefined();

    // The CORS plugin answers preflights of origins off its list without the header; the
    // widget's routes still answer them.
    const shopPreflight = await preflight(allowListed, '/chatwoot/public/api/v1/inboxes/x/contacts', SHOP);
    expect(shopPreflight.statusCode).toBe(204);
    expect(shopPreflight.headers['access-control-allow-origin']).toBe('*');
    const apiPreflight = await preflight(allowListed, '/api/v1/accounts/1/contacts', SHOP);
    expect(apiPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves /widget.js to pages on any origin, cached briefly and revalidated', async () => {
    const script = await injector(app)({ method: 'GET', url: '/widget.js', headers: { origin: SHOP } });
    expect(script.statusCode).toBe(200);
    expect(script.body).toBe(SCRIPT);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    // Helmet's default (same-origin) would stop another site's <script> from running it.
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(script.headers['access-control-allow-origin']).toBe('*');
    expect(script.headers['cache-control']).toBe('public, max-age=300');

    const etag = String(script.headers.etag);
    const again = await injector(app)({
      method: 'GET',
      url: '/widget.js',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);

    // Where Chatwoot's embed snippet looks for its SDK: the same script.
    const sdk = await injector(app)({
      method: 'GET',
      url: '/chatwoot/packs/js/sdk.js',
      headers: { origin: SHOP },
    });
    expect(sdk.statusCode).toBe(200);
    expect(sdk.body).toBe(SCRIPT);
    expect(sdk.headers['cross-origin-resource-policy']).toBe('cross-origin');

    // Not built: a script that says so in the console, never cached.
    const unbuilt = await injector(allowListed)({ method: 'GET', url: '/widget.js' });
    expect(unbuilt.statusCode).toBe(503);
    expect(unbuilt.body).toContain('not built');
    expect(unbuilt.headers['cache-control']).toBe('no-store');
  });
});
