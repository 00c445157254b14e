import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { accounts } from './identity.tables.js';
import { forgetInThisProcess } from './api-key-cache.js';

/**
 * Deletes an account and, through the foreign-key cascades, everything it owns (inboxes,
 * conversations, contacts, keys, webhooks). Users stay: they may belong to other accounts. No event
 * is recorded: the account's webhooks and consumers are deleted with it.
 */
export async function deleteAccount(db: Db, accountId: number): Promise<void> {
  const deleted = await db.delete(accounts).where(eq(accounts.id, accountId)).returning({ id: accounts.id });
  if (deleted.length === 0) throw notFound('Account');
  forgetInThisProcess({ kind: 'account', accountId });
}
