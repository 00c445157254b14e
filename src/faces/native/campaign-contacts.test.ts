import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { dialerAttempts } from '../../core/dialer/dialer.tables.js';
import { dialerEngineOf } from '../../core/dialer/dialer-runtime.js';
import { dialerTick } from '../../core/dialer/dialer.js';
import { ALWAYS_OPEN } from '../../core/dialer/dialer.test-kit.js';
import { addAgent } from '../../core/dialer/dialed-call.test-kit.js';
import {
  createDiabolocomTestApp,
  type DiabolocomTestAccount,
  type Inject,
} from '../diabolocom/diabolocom-test-kit.js';

interface Contact {
  id: number;
  contactNumber: number;
  progress: string;
  customFields: Record<string, string>;
  phones: Record<string, string>;
  excluded: boolean;
  excludedCause: string | null;
  triesNumber: number;
}
interface Page<T> {
  data: T[];
  nextCursor: number | null;
}
interface Batch {
  id: string;
  status: string;
  totalItems: number | null;
  modifiedCount: number;
  excluded: Record<string, number[]>;
}
interface Stats {
  campaignId: number;
  contacts: { total: number; toCall: number; onCall: number; called: number; excluded: number };
  callsToday: number;
  abandonment: { abandoned: number; answered: number; rate: number; maxRate: number; windowDays: number };
}

// The app's carrier simulator answers this number at once and talks for half a second.
const ANSWERED = '33600000931';

describe(`native campaign contacts, stats and recent calls (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let a: DiabolocomTestAccount;
  let b: DiabolocomTestAccount;
  let agentToken: string;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp({
      PARLEY_DIALER_SIMULATOR: JSON.stringify({
        seed: 5,
        forcedOutcomes: { [ANSWERED]: { outcome: 'answer', ringSeconds: 0.3, talkSeconds: 0.3 } },
      }),
    });
    app = kit.app;
    inject = kit.inject;
    a = await kit.account('A');
    b = await kit.account('B');
    const key = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${a.accountId}/api-keys`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'agent key', role: 'agent' },
    });
    agentToken = key.json<{ token: string }>().token;
  });
  afterAll(() => app.close());

  async function campaign(account: DiabolocomTestAccount, name: string, extra: object = {}): Promise<number> {
    const response = await account.native('POST', '/campaigns', {
      name,
      mode: 'progressive',
      customFields: ['firstName'],
      phoneFields: ['mobile'],
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: number }>().id;
  }

  async function addContact(campaignId: number, fields: Record<string, string>, extra: object = {}) {
    const response = await a.native('POST', `/campaigns/${campaignId}/contacts`, {
      customFields: fields,
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Contact>();
  }

  it('adds contacts, pages them newest first by progress, and excludes and includes one', async () => {
    const campaignId = await campaign(a, 'Contacts');

    const good = await addContact(campaignId, { firstName: 'Chloé', mobile: '+33612345678' });
    const bad = await addContact(campaignId, { firstName: 'Nobody', mobile: '12' });
    const third = await addContact(campaignId, { firstName: 'Marc', mobile: '+33612345679' });

    expect(good).toMatchObject({
      contactNumber: 1,
      progress: 'to_call',
      phones: { mobile: '+33612345678' },
      excluded: false,
      excludedCause: null,
    });
    expect(bad).toMatchObject({ progress: 'excluded', excluded: true });
    expect(['noValidPhone', 'tooShort']).toContain(bad.excludedCause);
    const first = await a.native('GET', `/campaigns/${campaignId}/contacts?limit=2`);
    const page = first.json<Page<Contact>>();
    expect(page.data.map((row) => row.id)).toEqual([third.id, bad.id]);
    expect(page.nextCursor).toBe(bad.id);
    const rest = await a.native('GET', `/campaigns/${campaignId}/contacts?limit=2&cursor=${page.nextCursor}`);
    expect(rest.json<Page<Contact>>()).toMatchObject({ data: [{ id: good.id }], nextCursor: null });
    const toCall = await a.native('GET', `/campaigns/${campaignId}/contacts?progress=to_call`);
    expect(toCall.json<Page<Contact>>().data.map((row) => row.id)).toEqual([third.id, good.id]);

    const excluded = await a.native('PATCH', `/campaigns/${campaignId}/contacts/${good.id}`, {
      excluded: true,
    });
    expect(excluded.statusCode).toBe(200);
    expect(excluded.json()).toMatchObject({ progress: 'excluded', excludedCause: 'manual' });
    const onlyExcluded = await a.native('GET', `/campaigns/${campaignId}/contacts?progress=excluded`);
    expect(onlyExcluded.json<Page<Contact>>().data.map((row) => row.id)).toEqual([bad.id, good.id]);
    const included = await a.native('PATCH', `/campaigns/${campaignId}/contacts/${good.id}`, {
      excluded: false,
    });
    expect(included.json()).toMatchObject({ progress: 'to_call', excluded: false });
    // A number that cannot be dialled stays excluded whatever is asked.
    const stays = await a.native('PATCH', `/campaigns/${campaignId}/contacts/${bad.id}`, { excluded: false });
    expect(stays.json()).toMatchObject({ progress: 'excluded', excluded: true });
    const finished = await a.native('PATCH', `/campaigns/${campaignId}/contacts/${third.id}`, {
      triesNumber: 1,
    });
    expect(finished.json()).toMatchObject({ progress: 'called', triesNumber: 1 });
    const one = await a.native('GET', `/campaigns/${campaignId}/contacts/${third.id}`);
    expect(one.json()).toMatchObject({ id: third.id, contactNumber: 3, customFields: { firstName: 'Marc' } });
  });

  it('refuses bad input with 4xx naming the problem, and unknown contacts with 404', async () => {
    const campaignId = await campaign(a, 'Refusals');
    const contacts = `/campaigns/${campaignId}/contacts`;
    const undeclared = await a.native('POST', contacts, {
      customFields: { shoeSize: '42', mobile: '+33612345678' },
    });
    expect(undeclared.statusCode).toBe(422);
    expect(undeclared.body).toContain('shoeSize');
    expect((await a.native('POST', contacts, { priority: 3 })).statusCode).toBe(422);
    expect((await a.native('POST', contacts, { customFields: { mobile: 7 } })).statusCode).toBe(422);
    expect((await a.native('GET', `${contacts}?progress=maybe`)).statusCode).toBe(422);
    expect((await a.native('GET', `${contacts}?cursor=-4`)).statusCode).toBe(422);
    const contact = await addContact(campaignId, { mobile: '+33612345678' });
    expect((await a.native('PATCH', `${contacts}/${contact.id}`, {})).statusCode).toBe(422);
    expect((await a.native('PATCH', `${contacts}/${contact.id}`, { excluded: 'yes' })).statusCode).toBe(422);
    expect((await a.native('PATCH', `${contacts}/999999999`, { excluded: true })).statusCode).toBe(404);
    expect((await a.native('GET', `/campaigns/999999999/contacts`)).statusCode).toBe(404);
    const tooMany = Array.from({ length: 301 }, () => ({ customFields: { mobile: '+33612345678' } }));
    expect(
      (await a.native('POST', `/campaigns/${campaignId}/contact-batches`, { contacts: tooMany })).statusCode,
    ).toBe(422);
    expect(
      (await a.native('POST', `/campaigns/${campaignId}/contact-batches`, { contacts: [] })).statusCode,
    ).toBe(422);
    expect((await a.native('GET', `/campaign-stats?campaignIds=1,x`)).statusCode).toBe(422);
    expect((await a.native('GET', `/campaigns/${campaignId}/contact-batches/not-a-uuid`)).statusCode).toBe(
      422,
    );
  });

  it('counts contacts by progress, calls today and the 30-day abandonment rate against the cap', async () => {
    const campaignId = await campaign(a, 'Figures', { maxAbandonRate: 0.02 });
    const fresh = await addContact(campaignId, { mobile: '+33612345601' });
    await addContact(campaignId, { mobile: '+33612345602' }, { triesNumber: 1 });
    await addContact(
      campaignId,
      { mobile: '+33612345603' },
      { triesNumber: 1, retryDate: new Date(Date.now() + 86_400_000).toISOString() },
    );
    await addContact(campaignId, { mobile: 'none' });
    // What the dialer leaves behind: three answers ten days ago, an abandon today, one 40 days ago.
    const now = Date.now();
    const day = 86_400_000;
    const placed = (outcome: 'answered' | 'abandoned', ago: number) => ({
      accountId: a.accountId,
      campaignId,
      campaignContactId: fresh.id,
      mode: 'progressive' as const,
      phoneName: 'mobile',
      phoneNumber: '33612345601',
      outcome,
      placedAt: new Date(now - ago),
      endedAt: new Date(now - ago + 1000),
    });
    await app.parley.ctx.db
      .insert(dialerAttempts)
      .values([
        placed('answered', 10 * day),
        placed('answered', 10 * day),
        placed('answered', 10 * day),
        placed('abandoned', 1000),
        placed('abandoned', 40 * day),
      ]);

    const response = await a.native('GET', `/campaigns/${campaignId}/stats`);

    expect(response.statusCode).toBe(200);
    const stats = response.json<Stats>();
    expect(stats).toMatchObject({
      campaignId,
      contacts: { total: 4, toCall: 2, onCall: 0, called: 1, excluded: 1 },
      callsToday: 1,
      timezone: 'UTC',
      abandonment: { windowDays: 30, abandoned: 1, answered: 4, rate: 0.25 },
    });
    expect(stats.abandonment.maxRate).toBeCloseTo(0.02, 6);
    const other = await campaign(a, 'Empty');
    const many = await a.native('GET', `/campaign-stats?campaignIds=${campaignId},${other}`);
    const data = many.json<{ data: Stats[] }>().data;
    expect(data.map((row) => row.campaignId)).toEqual([campaignId, other]);
    expect(data[1]).toMatchObject({ contacts: { total: 0 }, callsToday: 0, abandonment: { rate: 0 } });
  });

  it('imports contacts by batch: 202, one live batch per campaign (409), then the counts', async () => {
    const campaignId = await campaign(a, 'Import');
    const contacts = Array.from({ length: 5 }, (_, index) => ({
      customFields: { firstName: `P${index}`, mobile: `+336123450${String(10 + index)}` },
    }));
    contacts.push({ customFields: { firstName: 'Bad', mobile: 'x' } });

    const accepted = await a.native('POST', `/campaigns/${campaignId}/contact-batches`, { contacts });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const batch = accepted.json<Batch>();
    expect(batch).toMatchObject({ status: 'ACCEPTED', totalItems: 6, modifiedCount: 0 });
    // The worker is not running yet: the batch stays live and a second one is refused.
    const second = await a.native('POST', `/campaigns/${campaignId}/contact-batches`, { contacts });
    expect(second.statusCode).toBe(409);
    expect((await b.native('GET', `/campaigns/${campaignId}/contact-batches/${batch.id}`)).statusCode).toBe(
      404,
    );
    const elsewhere = await campaign(a, 'Elsewhere');
    expect((await a.native('GET', `/campaigns/${elsewhere}/contact-batches/${batch.id}`)).statusCode).toBe(
      404,
    );

    await app.parley.startBackground();
    const done = await waitFor(
      async () => {
        const status = (
          await a.native('GET', `/campaigns/${campaignId}/contact-batches/${batch.id}`)
        ).json<Batch>();
        return status.status === 'COMPLETED' || status.status === 'FAILED' ? status : undefined;
      },
      { timeoutMs: 20_000, what: 'the batch to finish' },
    );

    expect(done.status).toBe('COMPLETED');
    // Created: five to call, and one excluded (counted under its cause only).
    expect(done.modifiedCount).toBe(5);
    expect(Object.values(done.excluded).flat()).toHaveLength(1);
    const stats = (await a.native('GET', `/campaigns/${campaignId}/stats`)).json<Stats>();
    expect(stats.contacts).toMatchObject({ total: 6, toCall: 5, excluded: 1 });
  });

  it('lists recent dials newest first with the decision that placed each one', async () => {
    const campaignId = await campaign(a, 'Dialling', { callingWindows: ALWAYS_OPEN });
    const contact = await addContact(campaignId, { firstName: 'Answer', mobile: `+${ANSWERED}` });
    const agentId = await addAgent(app, a.accountId, 'campaign-agent@example.test');
    expect((await a.native('POST', `/campaigns/${campaignId}/start`)).statusCode).toBe(200);
    expect((await a.native('POST', `/campaigns/${campaignId}/agents/${agentId}/join`)).statusCode).toBe(200);
    const engine = dialerEngineOf(app.parley.ctx.config);
    if (!engine) throw new Error('no dialer engine');

    await dialerTick(engine, campaignId, a.accountId);
    const call = await waitFor(
      async () => {
        const page = (await a.native('GET', `/campaigns/${campaignId}/dialer/recent-calls`)).json<
          Page<{
            id: number;
            endedAt: string | null;
            outcome: string | null;
            contactNumber: number;
            decisions: { kind: string; reason: string; details: Record<string, unknown> }[];
          }>
        >();
        const [row] = page.data;
        return row?.endedAt ? row : undefined;
      },
      { what: 'the call to end' },
    );

    expect(call).toMatchObject({ outcome: 'answered', contactNumber: contact.contactNumber });
    const dial = call.decisions.find((decision) => decision.kind === 'dial');
    expect(dial?.details).toMatchObject({ phoneNumber: ANSWERED, triesBefore: 0 });
    expect(call.decisions.map((decision) => decision.kind)).toContain('connect');
    const stats = (await a.native('GET', `/campaigns/${campaignId}/stats`)).json<Stats>();
    expect(stats.callsToday).toBe(1);
    expect(
      (await a.native('GET', `/campaigns/${campaignId}/dialer/recent-calls?cursor=${call.id}`)).json(),
    ).toEqual({
      data: [],
      nextCursor: null,
    });
    await a.native('POST', `/campaigns/${campaignId}/pause`);
  });

  it("keeps accounts apart: B gets 404 for A's campaign and no figures for A's ids", async () => {
    const campaignId = await campaign(a, 'Private');
    const contact = await addContact(campaignId, { mobile: '+33612345699' });
    const paths = [
      ['GET', `/campaigns/${campaignId}/contacts`],
      ['GET', `/campaigns/${campaignId}/contacts/${contact.id}`],
      ['POST', `/campaigns/${campaignId}/contacts`, { customFields: { mobile: '+33612345698' } }],
      ['PATCH', `/campaigns/${campaignId}/contacts/${contact.id}`, { excluded: true }],
      [
        'POST',
        `/campaigns/${campaignId}/contact-batches`,
        { contacts: [{ customFields: { mobile: '+33612345697' } }] },
      ],
      ['GET', `/campaigns/${campaignId}/stats`],
      ['GET', `/campaigns/${campaignId}/dialer/recent-calls`],
    ] as const;
    for (const [method, path, body] of paths) {
      const response = await b.native(method, path, body);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
    }
    const many = await b.native('GET', `/campaign-stats?campaignIds=${campaignId}`);
    expect(many.json()).toEqual({ data: [] });
    const bCampaign = await campaign(b, 'Theirs');
    const crossed = await a.native('GET', `/campaigns/${campaignId}/contacts/${contact.id}`);
    expect(crossed.statusCode).toBe(200);
    expect((await a.native('GET', `/campaigns/${bCampaign}/contacts/${contact.id}`)).statusCode).toBe(404);
    // A's contact stays as it was.
    expect(crossed.json()).toMatchObject({ excluded: false, progress: 'to_call' });
  });

  it('keeps contacts and recent calls to administrators, figures to members; 401 without a token', async () => {
    const campaignId = await campaign(a, 'Roles');
    const as = (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object) =>
      inject({
        method,
        url: `/api/v1/accounts/${a.accountId}${path}`,
        headers: bearer(agentToken),
        ...(payload && { payload }),
      });
    expect((await as('GET', `/campaigns/${campaignId}/contacts`)).statusCode).toBe(403);
    expect(
      (await as('POST', `/campaigns/${campaignId}/contacts`, { customFields: { mobile: '+33612345678' } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await as('POST', `/campaigns/${campaignId}/contact-batches`, { contacts: [{ customFields: {} }] }))
        .statusCode,
    ).toBe(403);
    expect((await as('GET', `/campaigns/${campaignId}/dialer/recent-calls`)).statusCode).toBe(403);
    expect((await as('GET', `/campaigns/${campaignId}/stats`)).statusCode).toBe(200);
    expect((await as('GET', `/campaign-stats?campaignIds=${campaignId}`)).statusCode).toBe(200);
    const anonymous = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.accountId}/campaigns/${campaignId}/stats`,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('shows the new routes in the OpenAPI document', async () => {
    const openapi = (await inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const prefix = '/api/v1/accounts/{accountId}';
    expect(Object.keys(openapi.paths[`${prefix}/campaigns/{campaignId}/contacts`] ?? {})).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
    expect(Object.keys(openapi.paths[`${prefix}/campaigns/{campaignId}/contacts/{contactId}`] ?? {})).toEqual(
      expect.arrayContaining(['get', 'patch']),
    );
    for (const path of [
      '/campaigns/{campaignId}/contact-batches',
      '/campaigns/{campaignId}/contact-batches/{batchId}',
      '/campaigns/{campaignId}/stats',
      '/campaigns/{campaignId}/dialer/recent-calls',
      '/campaign-stats',
    ]) {
      expect(openapi.paths[`${prefix}${path}`], path).toBeDefined();
    }
  });
});
