import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';
import { addAgent } from '../../core/dialer/dialed-call.test-kit.js';
import { listedDoNotCallDigits } from '../../core/dialer/do-not-call.js';

interface Entry {
  phoneNumber: string;
  reason: string;
  createdAt: string;
}

describe(`native do-not-call list (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let agentToken: string;

  const url = (accountId: number, suffix = '') => `/api/v1/accounts/${accountId}/do-not-call${suffix}`;
  const send = (method: 'GET' | 'POST' | 'DELETE', path: string, token: string, payload?: unknown) =>
    inject({
      method,
      url: path,
      headers: bearer(token),
      ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
    });

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    const agentId = await addAgent(app, acme.accountId, 'agent@acme.example');
    agentToken = (await createAccessToken(app.parley.ctx.db, { userId: agentId, name: 'agent' })).token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('adds numbers in any common form as one E.164 entry each, and reports those already listed', async () => {
    const first = await send('POST', url(acme.accountId), acme.apiKey, {
      numbers: ['+33 6 12 34 56 78', '0033612345678', '14155550123'],
      reason: 'asked by phone',
    });
    const again = await send('POST', url(acme.accountId), acme.apiKey, { numbers: ['+1 (415) 555-0123'] });

    expect(first.statusCode).toBe(201);
    const added = first.json<{ added: Entry[]; alreadyListed: string[] }>();
    expect(added.added.map((entry) => [entry.phoneNumber, entry.reason]).sort()).toEqual([
      ['+14155550123', 'asked by phone'],
      ['+33612345678', 'asked by phone'],
    ]);
    expect(added.alreadyListed).toEqual([]);
    expect(again.json()).toEqual({ added: [], alreadyListed: ['+14155550123'] });
  });

  it('refuses the whole request when one number is not valid, and writes nothing', async () => {
    const response = await send('POST', url(acme.accountId), acme.apiKey, {
      numbers: ['+442071838750', 'not a number', '123'],
    });

    expect(response.statusCode).toBe(422);
    expect(JSON.stringify(response.json())).toContain('numbers.1');
    expect(await listedDoNotCallDigits(app.parley.ctx.db, acme.accountId, ['+442071838750'])).toEqual(
      new Set(),
    );
  });

  it('checks many numbers in any form at once', async () => {
    const listed = await listedDoNotCallDigits(app.parley.ctx.db, acme.accountId, [
      '+33612345678',
      '0033 6 12 34 56 78',
      '+4915112345678',
      'garbage',
    ]);

    expect(listed).toEqual(new Set(['33612345678']));
  });

  it('lists the numbers page by page in number order', async () => {
    await send('POST', url(acme.accountId), acme.apiKey, {
      numbers: ['+4915112345678', '+34612345678', '+32470123456'],
    });

    const first = await send('GET', url(acme.accountId, '?limit=2'), acme.apiKey);
    const page = first.json<{ data: Entry[]; nextCursor: string | null }>();
    const second = await send('GET', url(acme.accountId, `?limit=2&cursor=${page.nextCursor}`), acme.apiKey);
    const rest = second.json<{ data: Entry[]; nextCursor: string | null }>();
    const third = await send('GET', url(acme.accountId, `?limit=2&cursor=${rest.nextCursor}`), acme.apiKey);

    expect(first.statusCode).toBe(200);
    expect(page.data.map((entry) => entry.phoneNumber)).toEqual(['+14155550123', '+32470123456']);
    expect(rest.data.map((entry) => entry.phoneNumber)).toEqual(['+33612345678', '+34612345678']);
    expect(third.json()).toMatchObject({ data: [{ phoneNumber: '+4915112345678' }], nextCursor: null });
  });

  it('removes a number given in any form, and answers 404 when it is not listed', async () => {
    const removed = await send('DELETE', url(acme.accountId, '/%2B34%20612%2034%2056%2078'), acme.apiKey);
    const missing = await send('DELETE', url(acme.accountId, '/34612345678'), acme.apiKey);

    expect(removed.statusCode).toBe(204);
    expect(missing.statusCode).toBe(404);
  });

  it('lets agents read the list but not change it', async () => {
    const read = await send('GET', url(acme.accountId), agentToken);
    const write = await send('POST', url(acme.accountId), agentToken, { numbers: ['+33699999999'] });
    const remove = await send('DELETE', url(acme.accountId, '/33612345678'), agentToken);

    expect(read.statusCode).toBe(200);
    expect(write.statusCode).toBe(403);
    expect(remove.statusCode).toBe(403);
  });

  it("keeps each account's list to itself", async () => {
    const foreignRead = await send('GET', url(acme.accountId), globex.apiKey);
    const foreignDelete = await send('DELETE', url(acme.accountId, '/33612345678'), globex.apiKey);
    const ownList = await send('GET', url(globex.accountId), globex.apiKey);
    const platform = await send('GET', url(acme.accountId), TEST_PLATFORM_TOKEN);

    expect([403, 404]).toContain(foreignRead.statusCode);
    expect([403, 404]).toContain(foreignDelete.statusCode);
    expect(ownList.json()).toEqual({ data: [], nextCursor: null });
    expect(platform.json<{ data: Entry[] }>().data.map((entry) => entry.phoneNumber)).toContain(
      '+33612345678',
    );
  });

  it('answers 422 for malformed input, as the native API does', async () => {
    const cases: unknown[] = [
      {},
      { numbers: [] },
      { numbers: 'x' },
      { numbers: Array(1001).fill('+33612345678') },
    ];
    for (const body of cases) {
      const response = await send('POST', url(acme.accountId), acme.apiKey, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 40)).toBe(422);
    }
    const badCursor = await send('GET', url(acme.accountId, '?cursor=abc'), acme.apiKey);
    expect(badCursor.statusCode).toBe(422);
  });
});
