import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { accountUsers } from './identity.tables.js';

/** How a member list (of an inbox, of a team) is changed by a request. */
export type MembershipChange = 'add' | 'remove' | 'replace';

/** Who to insert and who to delete; adding someone present or removing someone absent is a no-op. */
export function planMembershipChange(
  current: number[],
  userIds: number[],
  change: MembershipChange,
): { added: number[]; removed: number[] } {
  const before = new Set(current);
  const wanted = [...new Set(userIds)];
  const wantedSet = new Set(wanted);
  if (change === 'add') return { added: wanted.filter((id) => !before.has(id)), removed: [] };
  if (change === 'remove') return { added: [], removed: wanted.filter((id) => before.has(id)) };
  return {
    added: wanted.filter((id) => !before.has(id)),
    removed: current.filter((id) => !wantedSet.has(id)),
  };
}

/** Only members of the account can answer its inboxes or join its teams. */
export async function assertAccountMembers(db: Db, accountId: number, userIds: number[]): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  const found = await db
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, accountId), inArray(accountUsers.userId, unique)));
  const known = new Set(found.map((row) => row.userId));
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new DomainError('VALIDATION_FAILED', `User ${missing.join(', ')} is not an agent of this account`, [
      { path: 'user_ids', message: `${missing.join(', ')} not found in this account` },
    ]);
  }
}
