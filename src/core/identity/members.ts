import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { memberAdded, memberRemoved, memberUpdated } from './identity.events.js';
import { accounts, accountUsers, users, type Availability, type Role } from './identity.tables.js';
import { inboxMembers } from '../inboxes/inboxes.tables.js';
import { teamMembers } from '../teams/teams.tables.js';

export interface Member {
  accountId: number;
  userId: number;
  role: Role;
  availability: Availability;
  name: string;
  displayName: string | null;
  email: string;
  createdAt: Date;
}

const memberColumns = {
  accountId: accountUsers.accountId,
  userId: accountUsers.userId,
  role: accountUsers.role,
  availability: accountUsers.availability,
  name: users.name,
  displayName: users.displayName,
  email: users.email,
  createdAt: accountUsers.createdAt,
};

function payloadOf(row: { accountId: number; userId: number; role: Role; availability: Availability }) {
  return { accountId: row.accountId, userId: row.userId, role: row.role, availability: row.availability };
}

export async function addMember(
  db: Db,
  input: { accountId: number; userId: number; role: Role },
  actor: Actor,
): Promise<Member> {
  await db.transaction(async (tx) => {
    const [row] = await tx.insert(accountUsers).values(input).onConflictDoNothing().returning();
    if (!row) throw new DomainError('CONFLICT', 'The user is already a member of this account');
    await recordEvent(tx, memberAdded, {
      accountId: input.accountId,
      aggregateId: `${input.accountId}:${input.userId}`,
      payload: payloadOf(row),
      actor,
    });
  });
  return getMember(db, input.accountId, input.userId);
}

export async function findMember(db: Db, accountId: number, userId: number): Promise<Member | null> {
  const [member] = await db
    .select(memberColumns)
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)));
  return member ?? null;
}

export async function getMember(db: Db, accountId: number, userId: number): Promise<Member> {
  const member = await findMember(db, accountId, userId);
  if (!member) throw notFound('Member');
  return member;
}

export async function listMembers(
  db: Db,
  options: { accountId: number; afterUserId?: number | undefined; limit: number },
): Promise<Page<Member>> {
  const rows = await db
    .select(memberColumns)
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(
      and(
        eq(accountUsers.accountId, options.accountId),
        options.afterUserId === undefined ? undefined : gt(accountUsers.userId, options.afterUserId),
      ),
    )
    .orderBy(asc(accountUsers.userId))
    .limit(options.limit + 1);
  return toPage(rows, options.limit, (row) => row.userId);
}

export async function updateMember(
  db: Db,
  input: {
    accountId: number;
    userId: number;
    role?: Role | undefined;
    availability?: Availability | undefined;
  },
  actor: Actor,
): Promise<Member> {
  await db.transaction(async (tx) => {
    if (input.role === 'agent') await assertKeepsAnAdministrator(tx, input.accountId, input.userId);
    const [row] = await tx
      .update(accountUsers)
      .set({
        ...(input.role !== undefined && { role: input.role }),
        ...(input.availability !== undefined && { availability: input.availability }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(accountUsers.accountId, input.accountId), eq(accountUsers.userId, input.userId)))
      .returning();
    if (!row) throw notFound('Member');
    await recordEvent(tx, memberUpdated, {
      accountId: input.accountId,
      aggregateId: `${input.accountId}:${input.userId}`,
      payload: payloadOf(row),
      actor,
    });
  });
  return getMember(db, input.accountId, input.userId);
}

/**
 * An account must keep an administrator member, or nobody could manage it but the platform:
 * refuses to remove or demote the last one. The administrators' rows are locked, so two
 * administrators removing each other at the same time cannot both succeed.
 */
export async function assertKeepsAnAdministrator(tx: Db, accountId: number, userId: number): Promise<void> {
  const administrators = await tx
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.role, 'administrator')))
    .orderBy(asc(accountUsers.userId))
    .for('update');
  const [only] = administrators;
  if (administrators.length === 1 && only?.userId === userId) {
    throw new DomainError(
      'CONFLICT',
      'This is the last administrator of the account; make another member an administrator first',
    );
  }
}

/**
 * Removes a membership (an administrator removing a member, or a member leaving) and the inbox and
 * team seats that came with it. The user itself stays: it may belong to other accounts.
 */
export async function removeMember(db: Db, accountId: number, userId: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await assertKeepsAnAdministrator(tx, accountId, userId);
    const [row] = await tx
      .delete(accountUsers)
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)))
      .returning();
    if (!row) throw notFound('Member');
    await tx
      .delete(inboxMembers)
      .where(and(eq(inboxMembers.accountId, accountId), eq(inboxMembers.userId, userId)));
    await tx
      .delete(teamMembers)
      .where(and(eq(teamMembers.accountId, accountId), eq(teamMembers.userId, userId)));
    await recordEvent(tx, memberRemoved, {
      accountId,
      aggregateId: `${accountId}:${userId}`,
      payload: payloadOf(row),
      actor,
    });
  });
}

/** The accounts a user belongs to, with the role held in each. */
export async function listMembershipsOfUser(
  db: Db,
  userId: number,
): Promise<{ accountId: number; accountName: string; role: Role }[]> {
  return db
    .select({ accountId: accountUsers.accountId, accountName: accounts.name, role: accountUsers.role })
    .from(accountUsers)
    .innerJoin(accounts, eq(accounts.id, accountUsers.accountId))
    .where(eq(accountUsers.userId, userId))
    .orderBy(asc(accountUsers.accountId));
}
