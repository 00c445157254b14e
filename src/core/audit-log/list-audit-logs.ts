import { count, desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { auditLogs, type AuditLogRow } from './audit-log.tables.js';

export interface AuditLogPage {
  rows: AuditLogRow[];
  total: number;
}

/**
 * One page of the account's audit log, newest first, plus the total: two queries on the
 * (account_id, id) primary key. Pages are numbered, as the seed's `page` parameter is.
 */
export async function listAuditLogs(
  db: Db,
  options: { accountId: number; page: number; perPage: number },
): Promise<AuditLogPage> {
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.accountId, options.accountId))
      .orderBy(desc(auditLogs.id))
      .limit(options.perPage)
      .offset((options.page - 1) * options.perPage),
    db.select({ total: count() }).from(auditLogs).where(eq(auditLogs.accountId, options.accountId)),
  ]);
  return { rows, total: totals[0]?.total ?? 0 };
}
