import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { createCampaign } from '../../core/campaigns/campaigns.js';
import { campaignContacts } from '../../core/campaigns/campaigns.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { doNotCallNumbers } from '../../core/dialer/dialer.tables.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount } from './diabolocom-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import { expectSeedContact } from './contact.test-kit.js';

const base = '/api/v2/voice/campaigns';

describe('Diabolocom contacts v2', () => {
  let app: TestApp;
  let db: Db;
  let acme: DiabolocomTestAccount;
  let other: DiabolocomTestAccount;
  let campaignId: number;
  let otherCampaignId: number;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    db = app.testDb.database.db;
    acme = await kit.account('Acme');
    other = await kit.account('Other');
    const fields = {
      customFields: ['First_Name', 'Last_Name', 'Category'],
      phoneFields: ['Telephone_1', 'Telephone_2'],
    };
    campaignId = (
      await createCampaign(db, acme.accountId, { name: 'Gold', mode: 'progressive', ...fields }, 'admin1')
    ).id;
    otherCampaignId = (
      await createCampaign(db, other.accountId, { name: 'Theirs', mode: 'preview', ...fields }, 'admin2')
    ).id;
  });

  afterAll(async () => {
    await app.close();
  });

  const louis = {
    customFields: { First_Name: 'Louis', Last_Name: 'Dupont', Category: 'Gold', Telephone_1: '33123456789' },
  };

  it('creates a contact (201) in the seed shape, linked to a core contact by phone', async () => {
    const created = await acme.call('POST', `${base}/${campaignId}/contacts`, louis);
    expect(created.statusCode).toBe(201);
    const body = created.json<Record<string, unknown>>();
    expectSeedContact(body);
    expect(body).toMatchObject({
      campaignId,
      contactId: 1,
      state: 'processing_not_in_progress',
      excluded: false,
      excludedDetail: null,
      priority: 10,
      triesNumber: 0,
      phones: { Telephone_1: '33123456789' },
      customFields: louis.customFields,
      currentPhoneName: 'Telephone_1',
      createdBy: 'test',
    });
    expect(body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const [row] = await db
      .select()
      .from(campaignContacts)
      .where(eq(campaignContacts.id, body.id as number));
    expect(row?.phoneNumbers).toEqual(['33123456789']);
    const [core] = await db.select().from(contacts).where(eq(contacts.id, row!.contactId));
    expect(core).toMatchObject({
      phoneNumber: '+33123456789',
      name: 'Louis Dupont',
      accountId: acme.accountId,
    });
    const created_events = await db
      .select()
      .from(events)
      .where(and(eq(events.type, 'contact.created'), eq(events.aggregateId, String(core!.id))));
    expect(created_events).toHaveLength(1);

    // The same number in the same account is the same person.
    const again = await acme.call('POST', `${base}/${campaignId}/contacts?priorityMode=false`, {
      ...louis,
      priority: 13,
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ contactId: 2, priority: 13 });
    const [second] = await db
      .select()
      .from(campaignContacts)
      .where(eq(campaignContacts.id, again.json<{ id: number }>().id));
    expect(second?.contactId).toBe(row!.contactId);
  });

  it('gets a contact by its per-campaign contactId; 404 with the seed keys', async () => {
    const got = await acme.call('GET', `${base}/${campaignId}/contacts/1`);
    expect(got.statusCode).toBe(200);
    expectSeedContact(got.json());
    expect(got.json()).toMatchObject({ contactId: 1, customFields: louis.customFields });

    const noContact = await acme.call('GET', `${base}/${campaignId}/contacts/999`);
    expect(noContact.statusCode).toBe(404);
    expect(noContact.json()).toMatchObject({ status: 404, error: 'error.contact.not.exists' });
    const noCampaign = await acme.call('GET', `${base}/999999/contacts/1`);
    expect(noCampaign.json()).toMatchObject({ status: 404, error: 'error.campaign.not.exists' });
    const notANumber = await acme.call('GET', `${base}/abc/contacts/1`);
    expect(notANumber.json()).toMatchObject({ status: 404, error: 'error.campaign.not.exists' });
  });

  it("never shows or changes another account's campaign", async () => {
    for (const [method, path, body] of [
      ['GET', `${base}/${otherCampaignId}/contacts/1`, undefined],
      ['POST', `${base}/${otherCampaignId}/contacts`, louis],
      ['PUT', `${base}/${otherCampaignId}/contacts/1`, { priority: 2 }],
      ['DELETE', `${base}/${otherCampaignId}/contacts/1`, undefined],
    ] as const) {
      const response = await acme.call(method, path, body);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
      expect(response.json()).toMatchObject({ error: 'error.campaign.not.exists' });
    }
    expect(
      await db.select().from(campaignContacts).where(eq(campaignContacts.accountId, other.accountId)),
    ).toEqual([]);
  });

  it('excludes invalid phones and do-not-call numbers, and answers bad input with 400', async () => {
    const invalid = await acme.call('POST', `${base}/${campaignId}/contacts`, {
      customFields: { First_Name: 'No', Telephone_1: '33999' },
    });
    expect(invalid.json()).toMatchObject({ excluded: true, phones: {} });
    expect(['noValidPhone', 'tooShort']).toContain(invalid.json<{ excludedDetail: string }>().excludedDetail);

    await db.insert(doNotCallNumbers).values({ accountId: acme.accountId, phoneNumber: '33612345678' });
    const blocked = await acme.call('POST', `${base}/${campaignId}/contacts`, {
      customFields: { Telephone_1: '+33 6 12 34 56 78' },
    });
    expect(blocked.json()).toMatchObject({ excluded: true, excludedDetail: 'bloctel' });

    for (const body of [
      {},
      { customFields: { Unknown_Field: 'x' } },
      { customFields: { Telephone_1: 42 } },
      { customFields: {}, contactCardDisplayNumber: 'not a phone' },
      { customFields: {}, retryDate: 'tomorrow' },
      { customFields: {}, wrapupId: 987654 },
      { customFields: {}, assignedAgentId: 987654 },
    ]) {
      const response = await acme.call('POST', `${base}/${campaignId}/contacts`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, error: 'error.bad.request' });
    }
  });

  it('updates a contact: omitted custom fields stay, phones follow the phone fields', async () => {
    const updated = await acme.call('PUT', `${base}/${campaignId}/contacts/1`, {
      priority: 20,
      comment: 'call back',
      retryDate: '2030-01-02T10:00:00Z',
      customFields: { Category: 'Silver', Telephone_2: '33612345679' },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      priority: 20,
      comment: 'call back',
      retryDate: '2030-01-02T10:00:00Z',
      customFields: { First_Name: 'Louis', Category: 'Silver', Telephone_2: '33612345679' },
      phones: { Telephone_1: '33123456789', Telephone_2: '33612345679' },
    });
    const emptied = await acme.call('PUT', `${base}/${campaignId}/contacts/1`, {
      customFields: { Telephone_1: '', Telephone_2: '' },
    });
    expect(emptied.json()).toMatchObject({ excluded: true, excludedDetail: 'noValidPhone', phones: {} });

    expect((await acme.call('PUT', `${base}/${campaignId}/contacts/1`, {})).statusCode).toBe(400);
    expect(
      (await acme.call('PUT', `${base}/${campaignId}/contacts/555`, { priority: 1 })).json(),
    ).toMatchObject({
      error: 'error.contact.not.exists',
    });
  });

  it('refuses (409) to change or delete a contact on a call; deletes it otherwise (204)', async () => {
    await db
      .update(campaignContacts)
      .set({ state: 'processing_in_progress' })
      .where(and(eq(campaignContacts.campaignId, campaignId), eq(campaignContacts.contactNumber, 2)));
    const busyDelete = await acme.call('DELETE', `${base}/${campaignId}/contacts/2`);
    expect(busyDelete.statusCode).toBe(409);
    expect(busyDelete.json<{ message: string }>().message).toContain('ongoing call');
    expect((await acme.call('PUT', `${base}/${campaignId}/contacts/2`, { priority: 1 })).statusCode).toBe(
      409,
    );

    const deleted = await acme.call('DELETE', `${base}/${campaignId}/contacts/1`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await acme.call('GET', `${base}/${campaignId}/contacts/1`)).statusCode).toBe(404);
    expect((await acme.call('DELETE', `${base}/${campaignId}/contacts/1`)).statusCode).toBe(404);
  });
});
