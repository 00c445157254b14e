import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/database.js';
import type { TestApp } from '../../testing/app.js';
import { createCampaign } from '../../core/campaigns/campaigns.js';
import { insertCampaignContacts } from '../../core/campaigns/campaign-contacts.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount } from './diabolocom-test-kit.js';
import { expectSeedContact } from './contact.test-kit.js';

const base = '/api/v2/voice/campaigns';

interface Contact {
  id: number;
  contactId: number;
  campaignId: number;
  customFields: Record<string, string>;
}
interface KeysetPage {
  contacts: Contact[];
  count: number;
  next: string | null;
}

/** `next` is an absolute URL under /diabolocom; the test account calls paths below it. */
function pathOf(next: string): string {
  const url = new URL(next);
  expect(url.pathname.startsWith('/diabolocom/')).toBe(true);
  return `${url.pathname.replace(/^\/diabolocom/, '')}${url.search}`;
}

describe('Diabolocom contact search', () => {
  let app: TestApp;
  let db: Db;
  let acme: DiabolocomTestAccount;
  let other: DiabolocomTestAccount;
  let gold: number;
  let silver: number;
  let theirs: number;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    db = app.testDb.database.db;
    acme = await kit.account('Acme');
    other = await kit.account('Other');
    const fields = { customFields: ['Categorie', 'Rank'], phoneFields: ['Phone'] };
    const make = async (accountId: number, name: string) => {
      const campaign = await createCampaign(db, accountId, { name, mode: 'progressive', ...fields }, 'admin');
      return campaign;
    };
    const goldCampaign = await make(acme.accountId, 'Gold');
    const silverCampaign = await make(acme.accountId, 'Silver');
    const theirCampaign = await make(other.accountId, 'Theirs');
    [gold, silver, theirs] = [goldCampaign.id, silverCampaign.id, theirCampaign.id];
    // 25 contacts in Gold: every 5th is Silver; the same number is also in Silver and in the other account.
    await insertCampaignContacts(db, {
      campaign: goldCampaign,
      inputs: Array.from({ length: 25 }, (_, i) => ({
        customFields: {
          Categorie: i % 5 === 0 ? 'Silver' : 'Gold',
          Rank: String(i + 1),
          Phone: `336791${String(i).padStart(5, '0')}`,
        },
      })),
      actor: 'admin',
    });
    const shared = { customFields: { Categorie: 'Silver', Rank: '1', Phone: '33679100000' } };
    await insertCampaignContacts(db, { campaign: silverCampaign, inputs: [shared], actor: 'admin' });
    await insertCampaignContacts(db, { campaign: theirCampaign, inputs: [shared, shared], actor: 'admin' });
    // Spread Gold's update times over a day; contacts 21…25 share one instant (ties go by id).
    await db.execute(
      sql`UPDATE campaign_contacts SET updated_at = '2025-01-01T00:00:00Z'::timestamptz
          + make_interval(hours => least(contact_number, 20)::int)
          WHERE campaign_id = ${gold}`,
    );
  });

  afterAll(async () => {
    await app.close();
  });

  const search = (campaignId: number, body: unknown) =>
    acme.call('POST', `${base}/${campaignId}/contacts/search`, body);

  it('answers the seed example with the page shape', async () => {
    const response = await search(gold, {
      pageable: { pageSize: 100 },
      query: {
        phones: ['33679100005'],
        customFieldConditions: [{ condition: 'eq', customFieldName: 'Categorie', value: 'Silver' }],
      },
    });
    expect(response.statusCode).toBe(200);
    const page = response.json<Record<string, unknown> & { content: Contact[] }>();
    expect(page).toMatchObject({
      totalElements: 1,
      totalPages: 1,
      last: true,
      first: true,
      number: 0,
      empty: false,
      numberOfElements: 1,
    });
    expect(page.content[0]).toMatchObject({ contactId: 6, campaignId: gold });
    expectSeedContact(page.content[0] as unknown as Record<string, unknown>);
  });

  it('pages with pageable (0-based, default size 10) and counts exactly for small sets', async () => {
    const first = (await search(gold, {})).json<{ content: Contact[]; totalElements: number }>();
    expect(first.content.map((contact) => contact.contactId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first).toMatchObject({ totalElements: 25, totalPages: 3, first: true, last: false });
    // Every part of the body is optional: no body at all is the same first page.
    const bodiless = await search(gold, undefined);
    expect(bodiless.statusCode).toBe(200);
    expect(bodiless.json()).toEqual(first);
    const last = (await search(gold, { pageable: { page: 2, pageSize: 10 } })).json<{ content: Contact[] }>();
    expect(last).toMatchObject({
      number: 2,
      first: false,
      last: true,
      numberOfElements: 5,
      totalElements: 25,
    });
    expect(last.content.map((contact) => contact.contactId)).toEqual([21, 22, 23, 24, 25]);
    const beyond = (await search(gold, { pageable: { page: 9 } })).json();
    expect(beyond).toMatchObject({
      empty: true,
      content: [],
      numberOfElements: 0,
      last: true,
      totalElements: 25,
    });
    const golds = (
      await search(gold, {
        pageable: { pageSize: 500 },
        query: {
          customFieldConditions: [{ condition: 'notEq', customFieldName: 'Categorie', value: 'Silver' }],
        },
      })
    ).json();
    expect(golds).toMatchObject({ totalElements: 20, numberOfElements: 20, last: true });
  });

  it('answers bad input with 400 and unknown campaigns with 404', async () => {
    for (const body of [
      { pageable: { pageSize: 501 } },
      { pageable: { page: -1 } },
      { query: { customFieldConditions: [{ condition: 'like', customFieldName: 'Rank', value: null }] } },
      { query: { wrapupStatuses: ['won'] } },
      { query: { agentIds: 'x' } },
    ]) {
      const response = await search(gold, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, error: 'error.bad.request' });
    }
    expect((await search(999_999, {})).json()).toMatchObject({
      status: 404,
      error: 'error.campaign.not.exists',
    });
    expect((await search(theirs, {})).json()).toMatchObject({
      status: 404,
      error: 'error.campaign.not.exists',
    });
    const byDate = await acme.call(
      'GET',
      `${base}/${theirs}/contacts/search/by-date?fromDate=2020-01-01T00:00:00Z`,
    );
    expect(byDate.json()).toMatchObject({ status: 404, error: 'error.campaign.not.exists' });
  });

  it('searches by phone across campaigns, by id, following next until null', async () => {
    const seen: Contact[] = [];
    let path: string | null = `${base}/contacts/search/by-phone?limit=2`;
    let pages = 0;
    while (path) {
      const response = await acme.call('POST', path, {
        phones: ['+33679100000', '33679100001', '33679100002'],
      });
      expect(response.statusCode).toBe(200);
      const page: KeysetPage = response.json<KeysetPage>();
      expect(page.count).toBe(page.contacts.length);
      page.contacts.forEach((contact) => expectSeedContact(contact as unknown as Record<string, unknown>));
      seen.push(...page.contacts);
      path = page.next ? pathOf(page.next) : null;
      pages += 1;
    }
    expect(pages).toBe(2);
    // Gold's 3 numbers and Silver's copy of the first; never the other account's two.
    expect(seen.map((contact) => contact.campaignId)).toEqual([gold, gold, gold, silver]);
    const ids = seen.map((contact) => contact.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const narrowed = (
      await acme.call('POST', `${base}/contacts/search/by-phone`, {
        campaignIds: [silver],
        phones: ['33679100000'],
      })
    ).json<KeysetPage>();
    expect(narrowed).toMatchObject({ count: 1, next: null });
    const fromId = (
      await acme.call('POST', `${base}/contacts/search/by-phone?fromId=${ids[2]}`, {
        phones: ['33679100000'],
      })
    ).json<KeysetPage>();
    expect(fromId.contacts.map((contact) => contact.campaignId)).toEqual([silver]);

    const theirsOnly = await acme.call('POST', `${base}/contacts/search/by-phone`, { campaignIds: [theirs] });
    expect(theirsOnly.json()).toMatchObject({ status: 404, error: 'error.campaign.not.exists' });
    const otherSide = (
      await other.call('POST', `${base}/contacts/search/by-phone`, { phones: ['33679100000'] })
    ).json<KeysetPage>();
    expect(otherSide.contacts.map((contact) => contact.campaignId)).toEqual([theirs, theirs]);
    expect((await acme.call('POST', `${base}/contacts/search/by-phone?limit=101`, {})).statusCode).toBe(400);
  });

  it('lists by date with keyset paging on (lastUpdatedAt, id) until next is null', async () => {
    const seen: Contact[] = [];
    let path: string | null = `${base}/${gold}/contacts/search/by-date?fromDate=2025-01-01T03:00:00Z&limit=4`;
    while (path) {
      const response = await acme.call('GET', path);
      expect(response.statusCode).toBe(200);
      const page: KeysetPage = response.json<KeysetPage>();
      seen.push(...page.contacts);
      if (page.next) expect(page.next).toContain('fromId=');
      path = page.next ? pathOf(page.next) : null;
    }
    expect(seen.map((contact) => contact.contactId)).toEqual(Array.from({ length: 23 }, (_, i) => i + 3));

    const bounded = (
      await acme.call(
        'GET',
        `${base}/${gold}/contacts/search/by-date?fromDate=2025-01-01T02:00:00Z&toDate=2025-01-01T04:00:00%2B00:00`,
      )
    ).json<KeysetPage>();
    expect(bounded.contacts.map((contact) => contact.contactId)).toEqual([2, 3, 4]);
    expect(bounded.next).toBeNull();

    for (const query of [
      '',
      '?fromDate=yesterday',
      '?fromDate=2025-01-01T00:00:00Z&limit=501',
      '?fromDate=2025-01-01T00:00:00Z&dateField=createdAt',
    ]) {
      const response = await acme.call('GET', `${base}/${gold}/contacts/search/by-date${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ error: 'error.bad.request' });
    }
  });
});
