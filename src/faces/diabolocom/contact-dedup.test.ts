import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import type { TestApp } from '../../testing/app.js';
import { createCampaign } from '../../core/campaigns/campaigns.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount } from './diabolocom-test-kit.js';
import { expectSeedContact } from './contact.test-kit.js';

interface Contact {
  id: number;
  contactId: number;
  excluded: boolean;
  excludedDetail: string | null;
  duplicateContactIds: number[];
}

interface BatchResult {
  status: string;
  modifiedElementsCount: number;
  failed: number[];
  excluded: Record<string, number[]>;
}

const base = '/api/v2/voice/campaigns';
const phone = (n: number) => `+336${String(40_000_000 + n).padStart(8, '0')}`;

describe(`Diabolocom deduplicationParams (${backendName})`, () => {
  let app: TestApp;
  let acme: DiabolocomTestAccount;
  let other: DiabolocomTestAccount;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    acme = await kit.account('Acme');
    other = await kit.account('Other');
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
  });

  /** A campaign whose deduplication is set through the face's PATCH, as a client would. */
  async function campaignWith(
    account: DiabolocomTestAccount,
    deduplicationParams: Record<string, unknown> | null,
  ): Promise<number> {
    const campaign = await createCampaign(
      app.parley.ctx.db,
      account.accountId,
      {
        name: 'Dedup',
        mode: 'progressive',
        customFields: ['Email', 'Name'],
        phoneFields: ['Mobile', 'Home'],
      },
      'test',
    );
    const patched = await account.call('PATCH', `/api/v1/voice/campaigns/${campaign.id}`, {
      deduplicationParams,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<{ deduplicationParams: unknown }>().deduplicationParams).toEqual(deduplicationParams);
    return campaign.id;
  }

  async function create(
    account: DiabolocomTestAccount,
    campaignId: number,
    customFields: Record<string, string>,
  ): Promise<Contact> {
    const response = await account.call('POST', `${base}/${campaignId}/contacts`, { customFields });
    expect(response.statusCode, response.body).toBe(201);
    const contact = response.json<Contact & Record<string, unknown>>();
    expectSeedContact(contact);
    return contact;
  }

  async function batch(
    account: DiabolocomTestAccount,
    campaignId: number,
    customFields: Record<string, string>[],
  ): Promise<BatchResult> {
    const submitted = await account.call('POST', `${base}/${campaignId}/contact-batch/create`, {
      customFields,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const { token } = submitted.json<{ token: string }>();
    return waitFor(
      async () => {
        const body = (await account.call('GET', `${base}/contact-batch/status/${token}`)).json<BatchResult>();
        return body.status === 'COMPLETED' || body.status === 'FAILED' ? body : undefined;
      },
      { timeoutMs: 20_000, what: `batch ${token}` },
    );
  }

  async function contactsOf(account: DiabolocomTestAccount, campaignId: number): Promise<Contact[]> {
    const response = await account.call('POST', `${base}/${campaignId}/contacts/search`, {
      pageable: { page: 0, pageSize: 100 },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ content: Contact[] }>().content;
  }

  it('excludes a created contact sharing a phone with one already there (excludeSamePhones)', async () => {
    const campaignId = await campaignWith(acme, { excludeSamePhones: true });
    const first = await create(acme, campaignId, { Name: 'Ann', Mobile: phone(1) });
    expect(first).toMatchObject({ excluded: false, excludedDetail: null, duplicateContactIds: [] });
    // The same number in another phone field, written differently, is the same phone.
    const second = await create(acme, campaignId, { Name: 'Bob', Home: phone(1).replace('+', '00') });
    expect(second).toMatchObject({
      excluded: true,
      excludedDetail: 'duplicate',
      duplicateContactIds: [first.id],
    });
    const third = await create(acme, campaignId, { Name: 'Cy', Mobile: phone(2), Home: phone(1) });
    expect(third.duplicateContactIds).toEqual([first.id, second.id]);
    expect(await create(acme, campaignId, { Name: 'Di', Mobile: phone(3) })).toMatchObject({
      excluded: false,
      duplicateContactIds: [],
    });

    const found = await acme.call('POST', `${base}/${campaignId}/contacts/search`, {
      query: { excludedCause: 'duplicate' },
    });
    expect(found.json<{ content: Contact[] }>().content.map((contact) => contact.id)).toEqual([
      second.id,
      third.id,
    ]);
  });

  it('reports duplicates of a batch, within it and with the campaign, as excluded "duplicate"', async () => {
    const campaignId = await campaignWith(acme, { excludeSamePhones: true });
    const existing = await create(acme, campaignId, { Name: 'Ann', Mobile: phone(10) });
    const result = await batch(acme, campaignId, [
      { Name: 'New', Mobile: phone(11) },
      { Name: 'Again', Mobile: phone(11) },
      { Name: 'Old', Mobile: phone(10) },
      { Name: 'Invalid', Mobile: 'nope' },
      { Name: 'Other', Mobile: phone(12) },
    ]);
    const contacts = await contactsOf(acme, campaignId);
    // Contact numbers follow the order the contacts were sent in.
    const order = ['Ann', 'New', 'Again', 'Old', 'Invalid', 'Other'];
    const byName = (name: string) =>
      contacts.find((contact) => contact.contactId === order.indexOf(name) + 1)!;
    expect(result).toEqual({
      status: 'COMPLETED',
      modifiedElementsCount: 2,
      failed: [],
      excluded: { duplicate: [byName('Again').id, byName('Old').id], noValidPhone: [byName('Invalid').id] },
    });
    expect(byName('Again')).toMatchObject({
      excludedDetail: 'duplicate',
      duplicateContactIds: [byName('New').id],
    });
    expect(byName('Old').duplicateContactIds).toEqual([existing.id]);
    expect(byName('Other')).toMatchObject({ excluded: false, duplicateContactIds: [] });
  });

  it('compares the values of every excludeSameValues field, ignoring contacts without them', async () => {
    const campaignId = await campaignWith(acme, { excludeSameValues: ['Email', 'Name'] });
    const ann = await create(acme, campaignId, { Email: 'ann@example.com', Name: 'Ann', Mobile: phone(20) });
    const twin = await create(acme, campaignId, { Email: 'ann@example.com', Name: 'Ann', Mobile: phone(21) });
    expect(twin).toMatchObject({ excludedDetail: 'duplicate', duplicateContactIds: [ann.id] });
    // One field differs, or is missing: not the same contact. Phones are not compared here.
    const others: Record<string, string>[] = [
      { Email: 'ann@example.com', Name: 'Anne', Mobile: phone(22) },
      { Name: 'Ann', Mobile: phone(23) },
      { Name: 'Ann', Mobile: phone(23) },
      { Email: 'bob@example.com', Name: 'Ann', Mobile: phone(20) },
    ];
    for (const fields of others) {
      expect(await create(acme, campaignId, fields)).toMatchObject({
        excluded: false,
        duplicateContactIds: [],
      });
    }
  });

  it('deduplicates within the file only with excludeDomain "file"', async () => {
    const campaignId = await campaignWith(acme, { excludeSamePhones: true, excludeDomain: 'file' });
    expect((await batch(acme, campaignId, [{ Mobile: phone(30) }])).excluded).toEqual({});
    const second = await batch(acme, campaignId, [{ Mobile: phone(30) }, { Mobile: phone(30) }]);
    expect(second.modifiedElementsCount).toBe(1);
    expect(second.excluded.duplicate).toHaveLength(1);
    // A single create is no file: nothing to compare with.
    expect(await create(acme, campaignId, { Mobile: phone(30) })).toMatchObject({ excluded: false });
  });

  it('does not deduplicate without deduplicationParams, nor across campaigns or accounts', async () => {
    const plain = await campaignWith(acme, null);
    await create(acme, plain, { Mobile: phone(40) });
    expect(await create(acme, plain, { Mobile: phone(40) })).toMatchObject({ excluded: false });

    const deduplicated = await campaignWith(acme, { excludeSamePhones: true });
    const theirs = await campaignWith(other, { excludeSamePhones: true });
    expect(await create(acme, deduplicated, { Mobile: phone(40) })).toMatchObject({ excluded: false });
    expect(await create(other, theirs, { Mobile: phone(40) })).toMatchObject({ excluded: false });
  });
});
