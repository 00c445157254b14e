import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendName } from '../../testing/database.js';
import { TEST_PLATFORM_TOKEN, bearer, type TestApp } from '../../testing/app.js';
import { agentPresenceChanges } from '../../core/presence/presence.tables.js';
import { addAgent } from '../../core/dialer/dialed-call.test-kit.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount, type Inject } from './diabolocom-test-kit.js';

type Availability = 'online' | 'busy' | 'offline';

interface LicensesBody {
  month: string;
  licenseModelBilled: string;
  currentAccountLicenseModel: string;
  details: { model: string; count: number; users: string[]; peakDateTime?: string }[];
}

const licenses = (month: string) => `/api/v1/statistic-cold/billing/licenses?month=${month}`;

describe(`Diabolocom GET /api/v1/statistic-cold/billing/licenses (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: DiabolocomTestAccount;
  let globex: DiabolocomTestAccount;

  async function history(accountId: number, email: string, changes: [string, Availability][]) {
    const userId = await addAgent(app, accountId, email);
    await app.parley.ctx.db.insert(agentPresenceChanges).values(
      changes.map(([at, availability]) => ({
        accountId,
        userId,
        at: new Date(at),
        cause: 'changed' as const,
        availability,
      })),
    );
  }

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    inject = kit.inject;
    acme = await kit.account('Acme');
    globex = await kit.account('Globex');
    const a = acme.accountId;
    // Logged in since February: counts from the first instant of March.
    await history(a, 'u1@acme.example', [
      ['2026-02-20T08:00:00Z', 'online'],
      ['2026-03-05T10:00:00Z', 'offline'],
    ]);
    // Busy is still logged in.
    await history(a, 'u2@acme.example', [
      ['2026-03-05T09:00:00Z', 'online'],
      ['2026-03-05T09:30:00Z', 'busy'],
      ['2026-03-05T12:00:00Z', 'offline'],
    ]);
    // Logs in at the very instant u1 logs out: the two never overlap, so 10:00 is not a peak of 3.
    await history(a, 'u3@acme.example', [
      ['2026-03-05T10:00:00Z', 'online'],
      ['2026-03-05T11:00:00Z', 'offline'],
    ]);
    // Twice in March, then logged in through the end of the month into April.
    await history(a, 'u4@acme.example', [
      ['2026-03-10T08:00:00Z', 'online'],
      ['2026-03-10T08:30:00Z', 'offline'],
      ['2026-03-20T08:00:00Z', 'online'],
      ['2026-04-02T08:00:00Z', 'offline'],
    ]);
    // February only: not billed in March.
    await history(a, 'u5@acme.example', [
      ['2026-02-01T08:00:00Z', 'online'],
      ['2026-02-02T08:00:00Z', 'offline'],
    ]);
    await history(a, 'u6@acme.example', [['2026-03-31T23:59:59Z', 'online']]);
    // With u4: the month's peak of 3, reached first at 14:00 on the 25th.
    await history(a, 'u7@acme.example', [
      ['2026-03-25T14:00:00Z', 'online'],
      ['2026-03-25T15:00:00Z', 'offline'],
    ]);
    await history(a, 'u8@acme.example', [
      ['2026-03-25T14:00:00Z', 'busy'],
      ['2026-03-25T16:00:00Z', 'offline'],
      ['2026-03-26T14:00:00Z', 'online'],
      ['2026-03-26T15:00:00Z', 'offline'],
    ]);
    // Another account's agent, logged in during the whole of March.
    await history(globex.accountId, 'g1@globex.example', [['2026-03-01T00:00:00Z', 'online']]);
  });
  afterAll(async () => {
    await app.close();
  });

  it('reports the first peak of simultaneous users and everyone connected in the month', async () => {
    const response = await acme.call('GET', licenses('2026-03'));

    expect(response.statusCode).toBe(200);
    expect(response.json<LicensesBody>()).toEqual({
      month: '2026-03',
      licenseModelBilled: 'Connected users',
      currentAccountLicenseModel: 'Connected users',
      details: [
        {
          model: 'Peak Users',
          count: 3,
          users: ['u4@acme.example', 'u7@acme.example', 'u8@acme.example'],
          peakDateTime: '2026-03-25T14:00:00.000Z',
        },
        {
          model: 'Connected users',
          count: 7,
          users: [1, 2, 3, 4, 6, 7, 8].map((n) => `u${n}@acme.example`),
        },
      ],
    });
  });

  it('carries the state at the start of a month over from the month before', async () => {
    const response = await acme.call('GET', licenses('2026-04'));

    const body = response.json<LicensesBody>();
    expect(body.details).toEqual([
      {
        model: 'Peak Users',
        count: 2,
        users: ['u4@acme.example', 'u6@acme.example'],
        peakDateTime: '2026-04-01T00:00:00.000Z',
      },
      { model: 'Connected users', count: 2, users: ['u4@acme.example', 'u6@acme.example'] },
    ]);
  });

  it('reports nobody, without a peak date, for a month without anyone logged in', async () => {
    const response = await acme.call('GET', licenses('2025-01'));

    expect(response.json<LicensesBody>().details).toEqual([
      { model: 'Peak Users', count: 0, users: [] },
      { model: 'Connected users', count: 0, users: [] },
    ]);
  });

  it("counts only the token's account, and bills the model the account is set to", async () => {
    const patched = await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${globex.accountId}`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { settings: { licenseModel: 'Peak Users' } },
    });
    expect(patched.statusCode).toBe(200);

    const response = await globex.call('GET', licenses('2026-03'));

    expect(response.json<LicensesBody>()).toMatchObject({
      licenseModelBilled: 'Peak Users',
      currentAccountLicenseModel: 'Peak Users',
      details: [
        {
          model: 'Peak Users',
          count: 1,
          users: ['g1@globex.example'],
          peakDateTime: '2026-03-01T00:00:00.000Z',
        },
        { model: 'Connected users', count: 1, users: ['g1@globex.example'] },
      ],
    });
  });

  it('answers 400 for a missing or malformed month, and 401 without a token', async () => {
    for (const query of [
      '',
      '?month=',
      '?month=2026-13',
      '?month=2026-3',
      '?month=March',
      '?month=2026-03-01',
    ]) {
      const response = await acme.call('GET', `/api/v1/statistic-cold/billing/licenses${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, error: 'error.bad.request' });
    }
    const anonymous = await inject({ method: 'GET', url: `/diabolocom${licenses('2026-03')}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
