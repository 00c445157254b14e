import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { users } from '../identity/identity.tables.js';
import { teams } from '../teams/teams.tables.js';
import { customAttributeDefinitions } from '../custom-attributes/custom-attributes.tables.js';
import { conversations } from '../conversations/conversations.tables.js';
import { conversationFilterWhere, talliedConversationFilters } from './conversation-filter.js';
import { loadCustomAttributeTypes, type CustomAttributeTypes } from './custom-attribute-filter.js';
import { filterPayloadSchema } from './filter-payload.js';
import { insertAccount, insertContact, insertConversation, insertInbox } from './filter-test-kit.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe(`conversation filter SQL (${backendName})`, () => {
  let testDb: TestDatabase;
  let db: Db;
  let accountId: number;
  let types: CustomAttributeTypes;
  const ids = { inbox1: 0, inbox2: 0, user: 0, team: 0, c1: 0, c2: 0, c3: 0 };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    accountId = await insertAccount(db);
    const otherAccountId = await insertAccount(db, 'Other');
    ids.inbox1 = await insertInbox(db, accountId);
    ids.inbox2 = await insertInbox(db, accountId);
    const contact = await insertContact(db, accountId, { name: 'Jane' });
    const [user] = await db.insert(users).values({ name: 'Ann', email: 'ann@example.com' }).returning();
    const [team] = await db.insert(teams).values({ accountId, name: 'Sales' }).returning();
    ids.user = user!.id;
    ids.team = team!.id;
    await db.insert(customAttributeDefinitions).values([
      {
        accountId,
        attributeModel: 'conversation',
        attributeKey: 'plan',
        attributeDisplayName: 'Plan',
        attributeDisplayType: 'list',
        attributeValues: ['gold', 'silver'],
      },
      {
        accountId,
        attributeModel: 'conversation',
        attributeKey: 'seats',
        attributeDisplayName: 'Seats',
        attributeDisplayType: 'number',
      },
      {
        accountId,
        attributeModel: 'conversation',
        attributeKey: 'renewal',
        attributeDisplayName: 'Renewal',
        attributeDisplayType: 'date',
      },
      {
        accountId,
        attributeModel: 'conversation',
        attributeKey: 'vip',
        attributeDisplayName: 'VIP',
        attributeDisplayType: 'checkbox',
      },
    ]);
    types = await loadCustomAttributeTypes(db, accountId, 'conversation');
    const base = { accountId, contactId: contact.id };
    const c1 = await insertConversation(db, {
      ...base,
      inboxId: ids.inbox1,
      status: 'open',
      assigneeId: ids.user,
      teamId: ids.team,
      labels: ['billing', 'vip'],
      priority: 'high',
      additionalAttributes: {
        browser_language: 'fr',
        country_code: 'FR',
        referer: 'https://shop.example.com/cart',
      },
      customAttributes: { plan: 'gold', seats: 12, renewal: '2026-01-10', vip: true },
      createdAt: new Date('2026-01-05T12:00:00Z'),
      lastActivityAt: daysAgo(10),
    });
    const c2 = await insertConversation(db, {
      ...base,
      inboxId: ids.inbox2,
      status: 'resolved',
      additionalAttributes: { browser_language: 'en', referer: 'https://blog.example.org' },
      customAttributes: { plan: 'silver', seats: '3', vip: false },
      createdAt: new Date('2026-02-01T10:00:00Z'),
      lastActivityAt: new Date(),
    });
    const c3 = await insertConversation(db, {
      ...base,
      inboxId: ids.inbox2,
      status: 'pending',
      assigneeId: ids.user,
      labels: ['billing'],
      priority: 'low',
      createdAt: new Date('2026-03-01T10:00:00Z'),
      lastActivityAt: daysAgo(2),
    });
    ids.c1 = c1.displayId;
    ids.c2 = c2.displayId;
    ids.c3 = c3.displayId;
    // A twin in another account must never match.
    const otherInbox = await insertInbox(db, otherAccountId);
    const otherContact = await insertContact(db, otherAccountId);
    await insertConversation(db, {
      accountId: otherAccountId,
      inboxId: otherInbox,
      contactId: otherContact.id,
      status: 'open',
      labels: ['billing'],
      createdAt: new Date('2026-01-05T12:00:00Z'),
    });
  });
  afterAll(async () => {
    await testDb.drop();
  });

  type Condition = {
    attribute_key: string;
    filter_operator: string;
    values?: unknown;
    query_operator?: string | null;
  };

  async function run(...conditions: Condition[]): Promise<number[]> {
    const payload = filterPayloadSchema.parse({ payload: conditions });
    const rows = await db
      .select({ displayId: conversations.displayId })
      .from(conversations)
      .where(conversationFilterWhere(accountId, payload, types))
      .orderBy(asc(conversations.displayId));
    return rows.map((row) => row.displayId);
  }
  const one = (attribute_key: string, filter_operator: string, values?: unknown) =>
    run({ attribute_key, filter_operator, values });

  it('filters status with equal_to and not_equal_to, one or several values', async () => {
    expect(await one('status', 'equal_to', ['open'])).toEqual([ids.c1]);
    expect(await one('status', 'equal_to', ['open', 'pending'])).toEqual([ids.c1, ids.c3]);
    expect(await one('status', 'not_equal_to', ['open'])).toEqual([ids.c2, ids.c3]);
  });

  it('filters assignee, inbox and team ids, including presence', async () => {
    expect(await one('assignee_id', 'equal_to', [ids.user])).toEqual([ids.c1, ids.c3]);
    expect(await one('assignee_id', 'not_equal_to', [String(ids.user)])).toEqual([ids.c2]);
    expect(await one('assignee_id', 'is_present')).toEqual([ids.c1, ids.c3]);
    expect(await one('assignee_id', 'is_not_present')).toEqual([ids.c2]);
    expect(await one('inbox_id', 'equal_to', [{ id: ids.inbox2 }])).toEqual([ids.c2, ids.c3]);
    expect(await one('team_id', 'is_present')).toEqual([ids.c1]);
    expect(await one('team_id', 'not_equal_to', [ids.team])).toEqual([ids.c2, ids.c3]);
  });

  it('filters the display id exactly and by digits it contains', async () => {
    expect(await one('display_id', 'equal_to', [ids.c2])).toEqual([ids.c2]);
    expect(await one('id', 'not_equal_to', [ids.c2])).toEqual([ids.c1, ids.c3]);
    expect(await one('display_id', 'contains', [String(ids.c3).slice(-1)])).toContain(ids.c3);
    expect(await one('display_id', 'does_not_contain', [String(ids.c3)])).toEqual([ids.c1, ids.c2]);
  });

  it('filters labels through the array operators', async () => {
    expect(await one('labels', 'equal_to', ['billing'])).toEqual([ids.c1, ids.c3]);
    expect(await one('labels', 'not_equal_to', ['vip'])).toEqual([ids.c2, ids.c3]);
    expect(await one('labels', 'is_present')).toEqual([ids.c1, ids.c3]);
    expect(await one('labels', 'is_not_present')).toEqual([ids.c2]);
  });

  it('filters priority and the additional attributes', async () => {
    expect(await one('priority', 'equal_to', ['high'])).toEqual([ids.c1]);
    expect(await one('priority', 'is_not_present')).toEqual([ids.c2]);
    expect(await one('browser_language', 'equal_to', ['fr'])).toEqual([ids.c1]);
    expect(await one('country_code', 'not_equal_to', ['FR'])).toEqual([ids.c2, ids.c3]);
    expect(await one('referer', 'contains', ['SHOP'])).toEqual([ids.c1]);
    expect(await one('referer', 'does_not_contain', ['shop'])).toEqual([ids.c2, ids.c3]);
  });

  it('compares dates by whole days and finds rows older than N days', async () => {
    expect(await one('created_at', 'is_greater_than', ['2026-01-31'])).toEqual([ids.c2, ids.c3]);
    // 2026-02-01T10:00 is on that day, not after it.
    expect(await one('created_at', 'is_greater_than', ['2026-02-01'])).toEqual([ids.c3]);
    expect(await one('created_at', 'is_less_than', ['2026-02-01'])).toEqual([ids.c1]);
    expect(await one('last_activity_at', 'days_before', [5])).toEqual([ids.c1]);
    expect(await one('last_activity_at', 'days_before', ['1'])).toEqual([ids.c1, ids.c3]);
  });

  it('filters custom attributes typed by their definitions', async () => {
    expect(await one('plan', 'equal_to', ['gold'])).toEqual([ids.c1]);
    expect(await one('plan', 'is_present')).toEqual([ids.c1, ids.c2]);
    expect(await one('plan', 'is_not_present')).toEqual([ids.c3]);
    // 12 > 5 numerically, although "12" < "5" as text; "3" stored as text still counts.
    expect(await one('seats', 'is_greater_than', [5])).toEqual([ids.c1]);
    expect(await one('seats', 'is_less_than', ['5'])).toEqual([ids.c2]);
    expect(await one('seats', 'equal_to', [3])).toEqual([ids.c2]);
    expect(await one('renewal', 'is_less_than', ['2026-02-01'])).toEqual([ids.c1]);
    expect(await one('vip', 'equal_to', [true])).toEqual([ids.c1]);
    expect(await one('vip', 'not_equal_to', ['true'])).toEqual([ids.c2, ids.c3]);
  });

  it('chains conditions with and/or, AND binding tighter as in Chatwoot', async () => {
    expect(
      await run(
        { attribute_key: 'status', filter_operator: 'equal_to', values: ['pending'], query_operator: 'and' },
        { attribute_key: 'labels', filter_operator: 'equal_to', values: ['billing'] },
      ),
    ).toEqual([ids.c3]);
    // open OR (resolved AND inbox 2)
    expect(
      await run(
        { attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: 'OR' },
        { attribute_key: 'status', filter_operator: 'equal_to', values: ['resolved'], query_operator: 'AND' },
        { attribute_key: 'inbox_id', filter_operator: 'equal_to', values: [ids.inbox2] },
      ),
    ).toEqual([ids.c1, ids.c2]);
    // (resolved AND inbox 1) OR billing
    expect(
      await run(
        { attribute_key: 'status', filter_operator: 'equal_to', values: ['resolved'], query_operator: 'and' },
        {
          attribute_key: 'inbox_id',
          filter_operator: 'equal_to',
          values: [ids.inbox1],
          query_operator: 'or',
        },
        { attribute_key: 'labels', filter_operator: 'equal_to', values: ['billing'], query_operator: null },
      ),
    ).toEqual([ids.c1, ids.c3]);
  });

  it('binds values as parameters, so quotes are just characters', async () => {
    expect(await one('referer', 'equal_to', ["x'); DROP TABLE conversations; --"])).toEqual([]);
    expect(await one('referer', 'contains', ['%'])).toEqual([]);
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(conversations);
    expect(count?.n).toBe(4);
  });

  it('refuses operators, attributes and values that do not fit, naming the condition', () => {
    const build = (condition: Condition) =>
      conversationFilterWhere(accountId, filterPayloadSchema.parse({ payload: [condition] }), types);
    const failure = (condition: Condition) => {
      try {
        build(condition);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const cases: [Condition, RegExp][] = [
      [{ attribute_key: 'status', filter_operator: 'contains', values: ['op'] }, /not supported for status/],
      [
        { attribute_key: 'status', filter_operator: 'equal_to', values: ['closed'] },
        /"closed" is not one of/,
      ],
      [{ attribute_key: 'assignee_id', filter_operator: 'equal_to', values: ['abc'] }, /not a number/],
      [
        { attribute_key: 'created_at', filter_operator: 'days_before', values: ['soon'] },
        /whole number of days/,
      ],
      [
        { attribute_key: 'created_at', filter_operator: 'is_greater_than', values: ['yesterday'] },
        /not a date/,
      ],
      [
        { attribute_key: 'nonsense', filter_operator: 'equal_to', values: ['x'] },
        /not a filterable attribute/,
      ],
      [{ attribute_key: 'labels', filter_operator: 'equal_to', values: [] }, /must not be empty/],
    ];
    for (const [condition, message] of cases) {
      const error = failure(condition);
      expect(error, JSON.stringify(condition)).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('VALIDATION_FAILED');
      expect((error as DomainError).message).toMatch(message);
    }
    expect(
      filterPayloadSchema.safeParse({ payload: [{ attribute_key: 'status', filter_operator: 'like' }] })
        .success,
    ).toBe(false);
    expect(filterPayloadSchema.safeParse({ payload: [] }).success).toBe(false);
  });
});

describe('talliedConversationFilters', () => {
  const condition = (attribute_key: string, values: unknown, extra: Record<string, unknown> = {}) => ({
    attribute_key,
    filter_operator: 'equal_to',
    values,
    query_operator: 'and',
    ...extra,
  });
  const tallied = (...conditions: Record<string, unknown>[]) =>
    talliedConversationFilters(filterPayloadSchema.parse({ payload: conditions }));

  it('takes a status and an inbox ANDed, one value each, in either order and spelling', () => {
    expect(tallied(condition('status', ['open']), condition('inbox_id', [7]))).toEqual({
      status: 'open',
      inboxId: 7,
    });
    expect(tallied(condition('inbox_id', '12', { query_operator: null }))).toEqual({ inboxId: 12 });
    expect(tallied(condition('inbox_id', [{ id: 3 }]), condition('status', 'snoozed'))).toEqual({
      inboxId: 3,
      status: 'snoozed',
    });
  });

  it('leaves every other payload to the general filter', () => {
    const refused = [
      [condition('status', ['open'], { query_operator: 'or' }), condition('inbox_id', [7])],
      [condition('status', ['open', 'pending'])],
      [condition('status', ['Open'])],
      [condition('inbox_id', ['7a'])],
      [condition('inbox_id', [7.5])],
      [condition('inbox_id', [7], { filter_operator: 'not_equal_to' })],
      [condition('inbox_id', [7], { attribute_model: 'customer_attributes' })],
      [condition('status', ['open']), condition('status', ['open'])],
      [condition('team_id', [1])],
      [condition('labels', ['vip'])],
    ];
    for (const conditions of refused) expect(tallied(...conditions), JSON.stringify(conditions)).toBeNull();
  });
});
