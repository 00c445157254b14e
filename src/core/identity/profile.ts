import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accounts, accountUsers, type AccountRow, type Availability, type Role } from './identity.tables.js';

/** One of a user's accounts as their profile shows it: the account plus the membership. */
export interface UserAccountMembership {
  accountId: number;
  name: string;
  status: AccountRow['status'];
  role: Role;
  availability: Availability;
  autoOffline: boolean;
  joinedAt: Date;
  updatedAt: Date;
}

export async function listUserAccountMemberships(db: Db, userId: number): Promise<UserAccountMembership[]> {
  return db
    .select({
      accountId: accountUsers.accountId,
      name: accounts.name,
      status: accounts.status,
      role: accountUsers.role,
      availability: accountUsers.availability,
      autoOffline: accountUsers.autoOffline,
      joinedAt: accountUsers.createdAt,
      updatedAt: accountUsers.updatedAt,
    })
    .from(accountUsers)
    .innerJoin(accounts, eq(accounts.id, accountUsers.accountId))
    .where(eq(accountUsers.userId, userId))
    .orderBy(asc(accountUsers.accountId));
}
