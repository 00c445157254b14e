import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { users } from '../identity/identity.tables.js';
import { inboxMembers } from '../inboxes/inboxes.tables.js';
import { insertAccount, insertContact, insertConversation, insertInbox } from '../filters/filter-test-kit.js';
import type { ConversationStatus } from './conversations.tables.js';
import {
  conversationPageIds,
  countConversations,
  listPageIds,
  type AssigneeType,
  type ConversationListFilters,
} from './list-conversations.js';

/**
 * A list whose filters the tallies answer runs statements built once per shape of its filters,
 * with the values bound (`listPageIds`, `countConversations`). Every shape must answer as the
 * general path, which builds each statement from the request and counts by scanning: a neutral
 * extra condition (`where: true`) sends a list down that path.
 */
describe(`tallied list statements (${backendName})`, () => {
  let testDb: TestDatabase;
  let db: Db;
  let accountId: number;
  let otherAccountId: number;
  let inboxes: number[];
  let agentId: number;
  let otherAgentId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    accountId = await insertAccount(db);
    otherAccountId = await insertAccount(db, 'Elsewhere');
    const [agent, otherAgent] = await db
      .insert(users)
      .values([
        { name: 'Ann', email: 'ann@example.com' },
        { name: 'Bob', email: 'bob@example.com' },
      ])
      .returning();
    agentId = agent!.id;
    otherAgentId = otherAgent!.id;
    inboxes = [
      await insertInbox(db, accountId),
      await insertInbox(db, accountId),
      await insertInbox(db, accountId),
    ];
    // Ann answers the first two inboxes only.
    await db.insert(inboxMembers).values([
      { accountId, inboxId: inboxes[0]!, userId: agentId },
      { accountId, inboxId: inboxes[1]!, userId: agentId },
    ]);
    const contact = await insertContact(db, accountId, { name: 'Carl' });
    const statuses: ConversationStatus[] = ['open', 'resolved', 'pending', 'snoozed'];
    for (let index = 0; index < 64; index++) {
      await insertConversation(db, {
        accountId,
        inboxId: inboxes[index % 3]!,
        contactId: contact.id,
        status: statuses[index % 4]!,
        assigneeId: index % 5 === 0 ? null : index % 5 < 3 ? agentId : otherAgentId,
        lastActivityAt: new Date(Date.UTC(2026, 0, 1, 0, index % 7 === 0 ? 0 : index)),
      });
    }
    // Another account's conversations must never be counted nor listed.
    const otherInbox = await insertInbox(db, otherAccountId);
    const otherContact = await insertContact(db, otherAccountId, { name: 'Eve' });
    for (let index = 0; index < 5; index++) {
      await insertConversation(db, {
        accountId: otherAccountId,
        inboxId: otherInbox,
        contactId: otherContact.id,
      });
    }
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const general = (filters: ConversationListFilters) => ({ ...filters, where: sql`true` });

  it('lists and counts every shape as the general path does', async () => {
    let compared = 0;
    for (const status of [undefined, 'all', 'open', 'resolved'] as const) {
      for (const inboxId of [undefined, 0, 2]) {
        for (const visibleToUserId of [null, agentId]) {
          for (const meUserId of [null, agentId]) {
            const filters: ConversationListFilters = {
              status,
              inboxId: inboxId === undefined ? undefined : inboxes[inboxId],
              visibleToUserId,
            };
            const label = JSON.stringify({ status, inboxId, visibleToUserId, meUserId });
            const counts = await countConversations(db, accountId, { filters, meUserId });
            expect(counts, label).toEqual(
              await countConversations(db, accountId, { filters: general(filters), meUserId }),
            );
            for (const assigneeType of ['me', 'unassigned', 'assigned', 'all'] as AssigneeType[]) {
              for (const page of [1, 2]) {
                const options = { filters, assigneeType, meUserId, page };
                const ids = await listPageIds(db, accountId, options);
                expect(ids, `${label} ${assigneeType} page ${page}`).toEqual(
                  await conversationPageIds(db, accountId, { ...options, filters: general(filters) }),
                );
                compared += ids.length;
              }
            }
          }
        }
      }
    }
    // The comparisons saw conversations, not only empty pages.
    expect(compared).toBeGreaterThan(500);
  });

  it('counts and lists the values each call gives, not those of the call that built the statement', async () => {
    const open = { status: 'open' as const, inboxId: inboxes[0] };
    const resolved = { status: 'resolved' as const, inboxId: inboxes[1] };
    const openCounts = await countConversations(db, accountId, { filters: open, meUserId: agentId });
    const resolvedCounts = await countConversations(db, accountId, {
      filters: resolved,
      meUserId: otherAgentId,
    });
    expect(openCounts.all).toBeGreaterThan(0);
    expect(resolvedCounts).toEqual(
      await countConversations(db, accountId, { filters: general(resolved), meUserId: otherAgentId }),
    );
    expect(resolvedCounts).not.toEqual(openCounts);
    const elsewhere = await countConversations(db, otherAccountId, { filters: {}, meUserId: null });
    expect(elsewhere).toEqual({ mine: 0, unassigned: 5, assigned: 0, all: 5 });
    const elsewhereIds = await listPageIds(db, otherAccountId, {
      filters: {},
      assigneeType: 'all',
      meUserId: null,
      page: 1,
    });
    expect(elsewhereIds).toHaveLength(5);
  });
});
