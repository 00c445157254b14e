import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { queryRows } from '../../platform/db/database.js';
import { users } from '../identity/identity.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { insertAccount, insertContact, insertConversation, insertInbox } from '../filters/filter-test-kit.js';
import { conversations } from './conversations.tables.js';
import { countConversations } from './list-conversations.js';

type Tally = {
  inbox_id: number;
  status: string;
  assignee_id: number;
  count: number;
};

/** The tallies must always equal a fresh GROUP BY over the conversations themselves. */
async function expectTalliesToMatch(db: Db, accountId: number): Promise<void> {
  const tallies = await queryRows<Tally>(
    db,
    sql`SELECT inbox_id::int, status, assignee_id::int, sum(count)::int AS count FROM conversation_tallies
        WHERE account_id = ${accountId} GROUP BY 1, 2, 3 HAVING sum(count) <> 0 ORDER BY 1, 2, 3`,
  );
  const truth = await queryRows<Tally>(
    db,
    sql`SELECT inbox_id::int, status, coalesce(assignee_id, 0)::int AS assignee_id, count(*)::int AS count
        FROM conversations WHERE account_id = ${accountId} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  expect(tallies).toEqual(truth);
}

describe(`conversation tallies (${backendName})`, () => {
  let testDb: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('follow inserts, status and assignee changes, bulk updates and cascaded deletes', async () => {
    const accountId = await insertAccount(db);
    const [agent] = await db.insert(users).values({ name: 'Ann', email: 'ann@example.com' }).returning();
    const inboxA = await insertInbox(db, accountId);
    const inboxB = await insertInbox(db, accountId);
    const contact = await insertContact(db, accountId, { name: 'Carl' });
    const other = await insertContact(db, accountId, { name: 'Dora' });
    const created = [];
    for (let index = 0; index < 6; index++) {
      created.push(
        await insertConversation(db, {
          accountId,
          inboxId: index % 2 === 0 ? inboxA : inboxB,
          contactId: index < 4 ? contact.id : other.id,
          status: index === 5 ? 'pending' : 'open',
        }),
      );
    }
    await expectTalliesToMatch(db, accountId);

    const [first, second] = created;
    await db
      .update(conversations)
      .set({ assigneeId: agent?.id ?? null })
      .where(eq(conversations.id, first?.id ?? 0));
    await db
      .update(conversations)
      .set({ status: 'resolved' })
      .where(eq(conversations.id, second?.id ?? 0));
    // A message only moves last activity: no key changes.
    await db
      .update(conversations)
      .set({ lastActivityAt: sql`now()` })
      .where(eq(conversations.accountId, accountId));
    await expectTalliesToMatch(db, accountId);

    // Bulk change in one statement, then a cascade from deleting a contact.
    await db.update(conversations).set({ status: 'snoozed' }).where(eq(conversations.inboxId, inboxB));
    await db.delete(contacts).where(eq(contacts.id, other.id));
    await expectTalliesToMatch(db, accountId);

    const counts = await countConversations(db, accountId, {
      filters: { status: 'open' },
      meUserId: agent?.id ?? null,
    });
    const scanned = await countConversations(db, accountId, {
      // An extra WHERE cannot use the tallies, so this one scans; both must agree.
      filters: { status: 'open', where: sql`true` },
      meUserId: agent?.id ?? null,
    });
    expect(counts).toEqual({ mine: 1, unassigned: 1, assigned: 1, all: 2 });
    expect(scanned).toEqual(counts);
  });
});
