import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvents, type Actor } from '../../platform/events/outbox.js';
import { memberRemoved } from './identity.events.js';
import { accountUsers, users, type UserRow } from './identity.tables.js';
import { findUserByEmail, updateUser, type UpdateUserInput } from './users.js';

/** Updates a user, answering 422 (not a database error) when the new email belongs to someone else. */
export async function updateUserProfile(db: Db, userId: number, input: UpdateUserInput): Promise<UserRow> {
  if (input.email !== undefined) {
    const owner = await findUserByEmail(db, input.email);
    if (owner && owner.id !== userId) {
      throw new DomainError('VALIDATION_FAILED', `Email ${input.email} has already been taken`, [
        { path: 'email', message: 'has already been taken' },
      ]);
    }
  }
  return updateUser(db, userId, input);
}

/** Deletes a user everywhere: memberships, tokens, inbox and team seats go with it (cascades). */
export async function deleteUser(db: Db, userId: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const memberships = await tx.select().from(accountUsers).where(eq(accountUsers.userId, userId));
    const deleted = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
    if (deleted.length === 0) throw notFound('User');
    await recordEvents(
      tx,
      memberRemoved,
      memberships.map((row) => ({
        accountId: row.accountId,
        aggregateId: `${row.accountId}:${userId}`,
        payload: { accountId: row.accountId, userId, role: row.role, availability: row.availability },
        actor,
      })),
    );
  });
}
