import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createCallrTestApp, type CallrTestAccount, type Inject } from '../callr/callr-test-kit.js';

/** The operator authorizes CLIs on the native API; CALLR clients read them with apps.get_authorized_clis. */
describe(`native authorized CLIs (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: CallrTestAccount;
  let registered = false;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    ({ app, inject } = kit);
    acme = await kit.account('Acme CLIs');
    // The lead wires registerNativeAuthorizedCliRoutes into src/faces/native/index.ts.
    registered = app.parley.server.hasRoute({
      method: 'PUT',
      url: '/api/v1/accounts/:accountId/authorized-clis',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const path = () => `/api/v1/accounts/${acme.accountId}/authorized-clis`;

  it('lets the platform authorize and withdraw a CLI that CALLR clients then see', async (context) => {
    if (!registered) context.skip();
    const put = await inject({
      method: 'PUT',
      url: path(),
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { type: 'VOICE', cli: '+33655555555', label: 'Mobile' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ type: 'VOICE', cli: '+33655555555', label: 'Mobile', comment: '' });

    const listed = await acme.native('GET', '/authorized-clis?type=VOICE');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<{ data: { cli: string }[] }>().data.map((row) => row.cli)).toEqual(['+33655555555']);
    expect(await acme.result('apps.get_authorized_clis', ['VOICE'])).toEqual([
      { cli: '+33655555555', comment: '', label: 'Mobile' },
    ]);

    const removed = await inject({
      method: 'DELETE',
      url: `${path()}?type=VOICE&cli=%2B33655555555`,
      headers: bearer(TEST_PLATFORM_TOKEN),
    });
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await acme.result('apps.get_authorized_clis', ['VOICE'])).toEqual([]);
  });

  it('refuses an account key changing its own CLIs, and invalid CLIs', async (context) => {
    if (!registered) context.skip();
    const byAccount = await acme.native('PUT', '/authorized-clis', { type: 'VOICE', cli: '+33655555556' });
    expect(byAccount.statusCode).toBe(403);
    const invalid = await inject({
      method: 'PUT',
      url: path(),
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { type: 'VOICE', cli: 'ACME' },
    });
    expect(invalid.statusCode).toBe(422);
  });
});
