import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { subAccounts } from '../sub-accounts/sub-accounts.tables.js';

/**
 * Whether an account may send (OUT) or receive (IN) SMS: a parent can switch either off for one
 * of its sub-accounts (CALLR's allow_sms_out / allow_sms_in); other accounts always may.
 */
export async function smsAllowed(db: Db, accountId: number, direction: 'IN' | 'OUT'): Promise<boolean> {
  const [row] = await db
    .select({ allowIn: subAccounts.allowSmsIn, allowOut: subAccounts.allowSmsOut })
    .from(subAccounts)
    .where(eq(subAccounts.accountId, accountId));
  if (!row) return true;
  return direction === 'IN' ? row.allowIn : row.allowOut;
}
