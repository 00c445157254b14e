import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { teams } from '../teams/teams.tables.js';
import { insertAccount } from '../filters/filter-test-kit.js';
import { createCampaign } from './campaigns.js';
import { campaignContacts as cc, wrapupCodes, type CampaignRow } from './campaigns.tables.js';
import { insertCampaignContacts } from './campaign-contacts.js';
import { contactFilterSchema, contactFilterSql } from './contact-filter.js';
import { searchContacts } from './contact-search.js';
import { planBlankFields } from './contact-search-shapes.js';

/**
 * Five contacts (contactId 1…5) with distinct values in every filtered column; each filter is
 * checked for the exact set of contactIds it keeps.
 */
describe('contact filter SQL', () => {
  let testDb: TestDatabase;
  let db: Db;
  let campaign: CampaignRow;
  let agent: number;
  let otherAgent: number;
  let group: number;
  let wrapup: number;
  let accountId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    accountId = await insertAccount(db);
    const [ann, bob] = await db
      .insert(users)
      .values([
        { name: 'Ann', email: 'ann@example.com' },
        { name: 'Bob', email: 'bob@example.com' },
      ])
      .returning({ id: users.id });
    agent = ann!.id;
    otherAgent = bob!.id;
    await db.insert(accountUsers).values([
      { accountId, userId: agent, role: 'agent' },
      { accountId, userId: otherAgent, role: 'agent' },
    ]);
    const [team] = await db.insert(teams).values({ accountId, name: 'Sales' }).returning({ id: teams.id });
    group = team!.id;
    campaign = await createCampaign(
      db,
      accountId,
      {
        name: 'Filters',
        mode: 'progressive',
        customFields: ['Category', 'Score', 'Name'],
        phoneFields: ['Phone'],
        userIds: [agent, otherAgent],
        groupIds: [group],
      },
      'admin',
    );
    const [code] = await db
      .insert(wrapupCodes)
      .values({ accountId, name: 'Sale', status: 'arguedpositive' })
      .returning({ id: wrapupCodes.id });
    wrapup = code!.id;
    const people: Record<string, string>[] = [
      { Category: 'Gold', Score: '9', Name: 'Alice Martin', Phone: '33123456781' },
      { Category: 'Silver', Score: '10', Name: 'bob martin', Phone: '33123456782' },
      { Category: 'Gold', Score: '100', Name: 'Carl_Dupont', Phone: '33123456783' },
      { Category: '', Name: 'Dan 100%', Phone: '33123456784' },
      { Score: 'n/a', Name: 'Eve', Phone: 'nope' },
    ];
    await insertCampaignContacts(db, {
      campaign,
      inputs: people.map((customFields) => ({ customFields })),
      actor: 'admin',
    });
    const set = (number: number, values: Partial<typeof cc.$inferInsert>) =>
      db
        .update(cc)
        .set(values)
        .where(and(eq(cc.campaignId, campaign.id), eq(cc.contactNumber, number)));
    const at = (iso: string) => new Date(iso);
    await set(1, {
      agentId: agent,
      lastAgentId: agent,
      assignedAgentId: agent,
      assignedAgentExpiresAt: at('2030-01-01T00:00:00Z'),
      wrapupId: wrapup,
      wrapupStatus: 'arguedpositive',
      priority: 5,
      triesNumber: 1,
      retryAt: at('2030-01-01T10:00:00Z'),
      lastCallAt: at('2029-06-01T00:00:00Z'),
      lastCallerType: 'agent',
      minCallingAt: at('2029-01-01T00:00:00Z'),
      maxCallingAt: at('2031-01-01T00:00:00Z'),
      region: 7,
      purgeDate: '2031-01-01',
      createdAt: at('2020-01-01T00:00:00Z'),
      updatedAt: at('2020-01-02T00:00:00Z'),
    });
    await set(2, {
      agentId: otherAgent,
      lastAgentId: otherAgent,
      assignedGroupId: group,
      assignedGroupExpiresAt: at('2030-06-01T00:00:00Z'),
      wrapupStatus: 'tocall',
      priority: 15,
      triesNumber: 3,
      retryAt: at('2030-02-01T10:00:00Z'),
      lastCallAt: at('2029-07-01T00:00:00Z'),
      lastCallerType: 'system',
      region: 8,
    });
    await set(3, { excluded: true, excludedDetail: 'manualByAgent', wrapupStatus: 'argued' });
  });

  afterAll(async () => {
    await testDb.drop();
  });

  /** The contactIds the filter keeps, in order. */
  async function matches(query: Record<string, unknown>): Promise<number[]> {
    const filter = contactFilterSchema.parse(query);
    const rows = await db
      .select({ number: cc.contactNumber })
      .from(cc)
      .where(and(eq(cc.campaignId, campaign.id), contactFilterSql(filter)))
      .orderBy(asc(cc.contactNumber));
    return rows.map((row) => row.number);
  }

  const condition = (customFieldName: string, condition: string, value: string | null) => ({
    customFieldConditions: [{ customFieldName, condition, value }],
  });

  it('keeps everything without a filter, and drops unknown keys', async () => {
    expect(await matches({})).toEqual([1, 2, 3, 4, 5]);
    expect(await matches({ notAFilter: 1 })).toEqual([1, 2, 3, 4, 5]);
  });

  it('applies each of the 13 custom field conditions', async () => {
    expect(await matches(condition('Category', 'eq', 'Gold'))).toEqual([1, 3]);
    expect(await matches(condition('Category', 'notEq', 'Gold'))).toEqual([2, 4, 5]);
    expect(await matches(condition('Category', 'eq', null))).toEqual([4, 5]);
    expect(await matches(condition('Category', 'notEq', null))).toEqual([1, 2, 3]);
    // Numbers compare as numbers: "9" < "10" < "100".
    expect(await matches(condition('Score', 'lt', '10'))).toEqual([1]);
    expect(await matches(condition('Score', 'lte', '10'))).toEqual([1, 2]);
    expect(await matches(condition('Score', 'gt', '9'))).toEqual([2, 3]);
    expect(await matches(condition('Score', 'gte', '9'))).toEqual([1, 2, 3]);
    expect(await matches(condition('Name', 'gt', 'C'))).toEqual([2, 3, 4, 5]);
    expect(await matches(condition('Name', 'startsWith', 'Alice'))).toEqual([1]);
    expect(await matches(condition('Name', 'endsWith', 'martin'))).toEqual([2]);
    expect(await matches(condition('Name', 'notStartswith', 'Alice'))).toEqual([2, 3, 4, 5]);
    expect(await matches(condition('Name', 'notEndswith', 'martin'))).toEqual([1, 3, 4, 5]);
    expect(await matches(condition('Name', 'contains', '_'))).toEqual([3]);
    expect(await matches(condition('Name', 'contains', '100%'))).toEqual([4]);
    expect(await matches(condition('Name', 'notContains', 'art'))).toEqual([3, 4, 5]);
    expect(await matches(condition('Name', 'like', '%MARTIN'))).toEqual([1, 2]);
    expect(await matches(condition('Name', 'like', 'c*dupont'))).toEqual([3]);
    expect(await matches(condition('Name', 'notstartswith', 'Alice'))).toEqual([2, 3, 4, 5]);
    expect(() => contactFilterSchema.parse(condition('Name', 'contains', null))).toThrow();
    expect(() => contactFilterSchema.parse(condition('Name', 'near', 'x'))).toThrow();
  });

  it('filters on agents, groups, wrap-ups and regions, with null as a filter', async () => {
    expect(await matches({ agentIds: [agent] })).toEqual([1]);
    expect(await matches({ agentIds: [otherAgent, null] })).toEqual([2, 3, 4, 5]);
    expect(await matches({ agentIds: null })).toEqual([3, 4, 5]);
    expect(await matches({ lastAgentIds: [agent] })).toEqual([1]);
    expect(await matches({ assignedAgentIds: [agent] })).toEqual([1]);
    expect(await matches({ assignedAgentIds: [null] })).toEqual([2, 3, 4, 5]);
    expect(await matches({ assignedGroupIds: [group] })).toEqual([2]);
    expect(await matches({ lastWrapupIds: [wrapup] })).toEqual([1]);
    expect(await matches({ lastWrapupIds: [null] })).toEqual([2, 3, 4, 5]);
    expect(await matches({ regions: [7, 8] })).toEqual([1, 2]);
    expect(await matches({ regions: [null] })).toEqual([3, 4, 5]);
    expect(await matches({ lastCallerType: 'agent' })).toEqual([1]);
    expect(await matches({ lastCallerType: null })).toEqual([3, 4, 5]);
    expect(await matches({ contactIds: [2, 4, 99] })).toEqual([2, 4]);
  });

  it('filters on wrap-up statuses, new_contact and canceled', async () => {
    expect(await matches({ wrapupStatuses: ['arguedpositive', 'tocall'] })).toEqual([1, 2]);
    expect(await matches({ wrapupStatuses: ['new_contact'] })).toEqual([4, 5]);
    expect(await matches({ wrapupStatuses: [null] })).toEqual([4, 5]);
    expect(await matches({ wrapupStatuses: ['canceled'] })).toEqual([3]);
    expect(await matches({ wrapupStatuses: ['tocall', 'new_contact'] })).toEqual([2, 4, 5]);
  });

  it('filters on exclusion, priorities, tries and phones', async () => {
    expect(await matches({ excluded: true })).toEqual([3, 5]);
    expect(await matches({ excluded: false })).toEqual([1, 2, 4]);
    expect(await matches({ excludedCause: 'noValidPhone' })).toEqual([5]);
    expect(await matches({ excludedCause: 'manualByAgent' })).toEqual([3]);
    expect(await matches({ minPriority: 10 })).toEqual([2, 3, 4, 5]);
    expect(await matches({ maxPriority: 10 })).toEqual([1, 3, 4, 5]);
    expect(await matches({ minPriority: 11, maxPriority: 15 })).toEqual([2]);
    expect(await matches({ minTries: 1 })).toEqual([1, 2]);
    expect(await matches({ maxTries: 1 })).toEqual([1, 3, 4, 5]);
    expect(await matches({ phones: ['+33123456782', '33123456784'] })).toEqual([2, 4]);
    expect(await matches({ phones: ['33999999999'] })).toEqual([]);
  });

  it('filters on dates: after inclusive, before exclusive', async () => {
    expect(await matches({ retryIsNull: true })).toEqual([3, 4, 5]);
    expect(await matches({ retryIsNull: false })).toEqual([1, 2]);
    expect(await matches({ retryAfter: '2030-01-01T10:00:00Z' })).toEqual([1, 2]);
    expect(await matches({ retryBefore: '2030-01-01T10:00:00Z' })).toEqual([]);
    expect(
      await matches({ retryAfter: '2030-01-15T00:00:00+01:00', retryBefore: '2031-01-01T00:00:00Z' }),
    ).toEqual([2]);
    expect(await matches({ lastCallAfter: '2029-06-15T00:00:00Z' })).toEqual([2]);
    expect(await matches({ lastCallBefore: '2029-06-15T00:00:00Z' })).toEqual([1]);
    expect(await matches({ createdBefore: '2021-01-01T00:00:00Z' })).toEqual([1]);
    expect(await matches({ createdAfter: '2021-01-01T00:00:00Z' })).toEqual([2, 3, 4, 5]);
    expect(await matches({ updateBefore: '2021-01-01T00:00:00Z' })).toEqual([1]);
    expect(await matches({ updateAfter: '2021-01-01T00:00:00Z' })).toEqual([2, 3, 4, 5]);
    expect(await matches({ minCallingDateTimeAfter: '2028-01-01T00:00:00Z' })).toEqual([1]);
    expect(await matches({ minCallingDateTimeBefore: '2028-01-01T00:00:00Z' })).toEqual([]);
    expect(await matches({ maxCallingDateTimeBefore: '2032-01-01T00:00:00Z' })).toEqual([1]);
    expect(await matches({ maxCallingDateTimeAfter: '2032-01-01T00:00:00Z' })).toEqual([]);
    expect(await matches({ assignedAgentExpirationTimeBefore: '2030-01-02T00:00:00Z' })).toEqual([1]);
    expect(await matches({ assignedAgentExpirationTimeAfter: '2030-01-02T00:00:00Z' })).toEqual([]);
    expect(await matches({ assignedGroupExpirationTimeAfter: '2030-01-02T00:00:00Z' })).toEqual([2]);
    expect(await matches({ assignedGroupExpirationTimeBefore: '2030-01-02T00:00:00Z' })).toEqual([]);
    expect(await matches({ purgeDateBefore: '2032-01-01' })).toEqual([1]);
    expect(await matches({ purgeDateAfter: '2032-01-01' })).toEqual([]);
    expect(() => contactFilterSchema.parse({ retryAfter: 'yesterday' })).toThrow();
  });

  it('answers blank-field conditions through the contacts’ shapes, with the same contacts', async () => {
    const search = async (query: Record<string, unknown>) => {
      const filter = contactFilterSchema.parse(query);
      const page = await searchContacts(db, { campaign, filter, page: 0, pageSize: 10 });
      return page.contacts.map((contact) => contact.row.contactNumber);
    };
    const both = {
      customFieldConditions: [
        { customFieldName: 'Category', condition: 'eq', value: null },
        { customFieldName: 'Score', condition: 'notEq', value: null },
      ],
    };
    for (const query of [
      condition('Category', 'eq', null),
      condition('Category', 'notEq', null),
      condition('Score', 'eq', null),
      both,
      { ...condition('Score', 'eq', null), excluded: false },
    ]) {
      const plan = await planBlankFields(db, campaign, contactFilterSchema.parse(query));
      expect(plan.kind).toBe('shapes');
      expect(await search(query)).toEqual(await matches(query));
    }
    expect(await search(both)).toEqual([5]);
    // Every contact has a name: no shape lacks it, so the answer needs no contact read at all.
    const named = contactFilterSchema.parse(condition('Name', 'eq', null));
    expect(await planBlankFields(db, campaign, named)).toEqual({ kind: 'empty' });
    expect(await search(condition('Name', 'eq', null))).toEqual([]);
    expect(await search(condition('Name', 'notEq', null))).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves blank-field conditions as they are past 64 shapes', async () => {
    const fields = ['F0', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6'];
    const many = await createCampaign(
      db,
      accountId,
      { name: 'Shapes', mode: 'progressive', customFields: fields },
      'admin',
    );
    // Contact n fills the fields of n's set bits: 70 contacts, 70 shapes.
    const inputs = Array.from({ length: 70 }, (_, index) => ({
      customFields: Object.fromEntries(
        fields.filter((_, bit) => ((index + 1) >> bit) & 1).map((name) => [name, 'x']),
      ),
    }));
    await insertCampaignContacts(db, { campaign: many, inputs, actor: 'admin' });
    const filter = contactFilterSchema.parse(condition('F6', 'notEq', null));
    expect(await planBlankFields(db, many, filter)).toEqual({ kind: 'none' });
    const page = await searchContacts(db, { campaign: many, filter, page: 0, pageSize: 10 });
    // n ≥ 64 has bit 6: contacts 64…70.
    expect(page.contacts.map((contact) => contact.row.contactNumber)).toEqual([64, 65, 66, 67, 68, 69, 70]);
  });

  it('combines filters with AND', async () => {
    expect(
      await matches({ ...condition('Category', 'eq', 'Gold'), excluded: false, retryIsNull: false }),
    ).toEqual([1]);
  });
});
