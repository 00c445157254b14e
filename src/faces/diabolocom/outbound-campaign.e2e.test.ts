import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { addAgent } from '../../core/dialer/dialed-call.test-kit.js';
import { splitMp3Frames } from '../../core/telephony/audio-mp3-frames.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount, type Inject } from './diabolocom-test-kit.js';
import { dialWithAgents, type DialOutcome } from './outbound-campaign.e2e-dialing.js';

const v2 = '/api/v2/voice/campaigns';
const CONTACTS = 1_000;
const BATCH_SIZE = 300;
const AGENTS = 5;
/** French mobiles +33 6 10 00 00 00 and up: valid for libphonenumber, distinct per contact. */
const phoneOf = (index: number) => `+336${String(10_000_000 + index).padStart(8, '0')}`;
/** Numbers put on the do-not-call list before the import: their contacts come in excluded. */
const DO_NOT_CALL = [7, 77, 177, 377, 777];

interface BatchResult {
  status: string;
  modifiedElementsCount: number;
  failed: number[];
  excluded: Record<string, number[]>;
}

interface Contact {
  id: number;
  contactId: number;
  excluded: boolean;
  excludedDetail: string | null;
  triesNumber: number;
  customFields: Record<string, string>;
}

/**
 * The end-to-end scenario, through HTTP wherever a face exists: a campaign created on the
 * native API, 1,000 contacts loaded with batches through the Diabolocom face, dialled in
 * progressive mode by the carrier simulator with five agents online whose wrap-ups drive retries,
 * then read back through search, by-date paging, the licenses endpoint and a recording's content.
 */
describe(`outbound campaign end to end (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: DiabolocomTestAccount;
  let campaignId: number;
  const agents: { userId: number; email: string }[] = [];
  let dialled: DialOutcome;

  beforeAll(async () => {
    // Short rings and calls, mostly answered: the scenario runs in seconds on the real clock.
    const kit = await createDiabolocomTestApp({
      PARLEY_DIALER_SIMULATOR: JSON.stringify({
        seed: 10,
        outcomeWeights: { answer: 0.7, busy: 0.15, no_answer: 0.15 },
        ringSeconds: {
          answer: { kind: 'fixed', seconds: 0.2 },
          busy: { kind: 'fixed', seconds: 0.2 },
          no_answer: { kind: 'fixed', seconds: 0.3 },
        },
        talkSeconds: { kind: 'fixed', seconds: 1 },
      }),
    });
    app = kit.app;
    inject = kit.inject;
    acme = await kit.account('Acme Outbound');
    await app.parley.startBackground();
    for (let index = 1; index <= AGENTS; index += 1) {
      const email = `agent${index}@acme.example`;
      agents.push({ userId: await addAgent(app, acme.accountId, email), email });
    }
  }, 180_000);
  afterAll(async () => {
    await app.close();
  });

  async function batchDone(token: string): Promise<BatchResult> {
    return waitFor(
      async () => {
        const body = (await acme.call('GET', `${v2}/contact-batch/status/${token}`)).json<BatchResult>();
        return body.status === 'COMPLETED' || body.status === 'FAILED' ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `batch ${token}` },
    );
  }

  it('creates a campaign on the native API and loads 1,000 contacts with batches through the face', async () => {
    const listed = await acme.native('POST', '/do-not-call', { numbers: DO_NOT_CALL.map(phoneOf) });
    expect(listed.statusCode).toBe(201);
    const created = await acme.native('POST', '/campaigns', {
      name: 'Winter renewals',
      mode: 'progressive',
      customFields: ['firstName', 'segment'],
      phoneFields: ['phone'],
      isRecorded: true,
      userIds: agents.map((agent) => agent.userId),
      timezone: 'UTC',
      callingWindows: Object.fromEntries(
        ['1', '2', '3', '4', '5', '6', '7'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
      ),
    });
    expect(created.statusCode, created.body).toBe(201);
    campaignId = created.json<{ id: number }>().id;

    const results: BatchResult[] = [];
    for (let start = 0; start < CONTACTS; start += BATCH_SIZE) {
      const items = Array.from({ length: Math.min(BATCH_SIZE, CONTACTS - start) }, (_, offset) => ({
        firstName: `Contact ${start + offset}`,
        segment: (start + offset) % 2 === 0 ? 'gold' : 'silver',
        phone: phoneOf(start + offset),
      }));
      const submitted = await acme.call('POST', `${v2}/${campaignId}/contact-batch/create`, {
        customFields: items,
      });
      expect(submitted.statusCode, submitted.body).toBe(200);
      results.push(await batchDone(submitted.json<{ token: string }>().token));
    }

    expect(results.map((result) => result.status)).toEqual([
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
    ]);
    // Contacts on the do-not-call list are stored, excluded (`bloctel`), and not counted as modified.
    expect(results.reduce((total, result) => total + result.modifiedElementsCount, 0)).toBe(
      CONTACTS - DO_NOT_CALL.length,
    );
    expect(results.flatMap((result) => result.failed)).toEqual([]);
    expect(results.flatMap((result) => result.excluded['bloctel'] ?? [])).toHaveLength(DO_NOT_CALL.length);
  }, 180_000);

  it('dials in progressive mode with five agents, and wrap-ups drive the retries', async () => {
    dialled = await dialWithAgents({ app, inject, account: acme, campaignId, agents, calls: 15 });

    expect(dialled.wrappedUp).toBeGreaterThanOrEqual(15);
    // Never more calls at once than agents ready for them (progressive).
    expect(dialled.maxLiveCalls).toBeLessThanOrEqual(AGENTS);
    // The callbacks asked for at wrap-up were dialled again.
    expect(dialled.retried).toBeGreaterThan(0);
    // Nobody on the do-not-call list was dialled.
    expect(
      dialled.dialledNumbers.filter((number) => DO_NOT_CALL.map(phoneOf).includes(`+${number}`)),
    ).toEqual([]);
  }, 180_000);

  it('finds the contacts through search: all of them, the excluded ones, the ones called', async () => {
    const search = (query: Record<string, unknown>, pageSize = 10) =>
      acme.call('POST', `${v2}/${campaignId}/contacts/search`, { pageable: { page: 0, pageSize }, query });

    const all = await search({});
    const blocked = await search({ excluded: true, excludedCause: 'bloctel' });
    const called = await search({ minTries: 1 }, 500);
    const gold = await search({
      customFieldConditions: [{ customFieldName: 'segment', condition: 'eq', value: 'gold' }],
    });

    expect(all.json()).toMatchObject({
      totalElements: CONTACTS,
      first: true,
      last: false,
      numberOfElements: 10,
    });
    const blockedContacts = blocked.json<{ content: Contact[] }>().content;
    expect(blockedContacts.map((contact) => contact.customFields['phone']).sort()).toEqual(
      DO_NOT_CALL.map(phoneOf).sort(),
    );
    expect(called.json<{ totalElements: number }>().totalElements).toBe(dialled.contactsCalled);
    expect(gold.json<{ totalElements: number }>().totalElements).toBe(CONTACTS / 2);
  });

  it('pages through every contact by date with the `next` links', async () => {
    const seen: number[] = [];
    let path: string | null =
      `${v2}/${campaignId}/contacts/search/by-date?fromDate=2000-01-01T00:00:00Z&limit=300`;
    let pages = 0;
    while (path !== null) {
      const response = await acme.call('GET', path);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ contacts: Contact[]; count: number; next: string | null }>();
      seen.push(...page.contacts.map((contact) => contact.id));
      pages += 1;
      path = page.next === null ? null : facePath(page.next);
      expect(pages).toBeLessThan(20);
    }

    expect(pages).toBeGreaterThanOrEqual(4);
    expect(seen).toHaveLength(CONTACTS);
    expect(new Set(seen).size).toBe(CONTACTS);
  });

  it('bills the five agents who were online this month', async () => {
    const month = new Date().toISOString().slice(0, 7);

    const response = await acme.call('GET', `/api/v1/statistic-cold/billing/licenses?month=${month}`);

    expect(response.statusCode).toBe(200);
    const emails = agents.map((agent) => agent.email).sort();
    const body = response.json<{ details: { model: string; count: number; users: string[] }[] }>();
    expect(body.details).toEqual([
      expect.objectContaining({ model: 'Peak Users', count: AGENTS, users: emails }),
      { model: 'Connected users', count: AGENTS, users: emails },
    ]);
  });

  it("downloads a dialled call's recording as MP3, whole and by range", async () => {
    const interactionId = dialled.recordedCallIds[0];
    expect(interactionId).toBeDefined();
    const path = `/diabolocom/api/v1/recordings/interactions/${interactionId}/content`;

    const whole = await inject({ method: 'GET', url: path, headers: bearer(acme.apiKey) });
    const head = await inject({
      method: 'GET',
      url: path,
      headers: { ...bearer(acme.apiKey), range: 'bytes=0-143' },
    });

    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/mpeg');
    expect(splitMp3Frames(whole.rawPayload).length).toBeGreaterThan(0);
    expect(head.statusCode).toBe(206);
    expect(head.rawPayload.equals(whole.rawPayload.subarray(0, 144))).toBe(true);
    const call = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${acme.accountId}/calls/${interactionId}`,
      headers: bearer(TEST_PLATFORM_TOKEN),
    });
    expect(call.json()).toMatchObject({
      direction: 'outbound',
      provider: 'diabolocom-v2',
      state: 'summarized',
    });
  });
});

/** A `next` link is absolute (the public URL); the app is reached through inject. */
function facePath(next: string): string {
  const url = new URL(next);
  return `${url.pathname.replace(/^\/diabolocom/, '')}${url.search}`;
}
