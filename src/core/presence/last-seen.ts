import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accountUsers } from '../identity/identity.tables.js';
import { agentPresence } from './presence.tables.js';

/**
 * Marks the agent as seen now in the account. Only members have presence: for anyone else
 * (the membership ended meanwhile) nothing is written.
 */
export async function touchLastSeen(db: Db, member: { accountId: number; userId: number }): Promise<void> {
  await db.execute(sql`
    INSERT INTO ${agentPresence} (account_id, user_id, last_seen_at)
    SELECT account_id, user_id, now() FROM ${accountUsers}
    WHERE account_id = ${member.accountId} AND user_id = ${member.userId}
    ON CONFLICT (account_id, user_id) DO UPDATE SET last_seen_at = now(), updated_at = now()`);
}
