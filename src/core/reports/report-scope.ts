import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';

export const reportTypes = ['account', 'agent', 'inbox', 'label', 'team'] as const;
export type ReportType = (typeof reportTypes)[number];

/** What a report is about: the whole account or one agent, inbox, label or team of it. */
export interface ReportScope {
  accountId: number;
  type: ReportType;
  /** The counters' dimension key: '' for the account, the id, or a label's name. */
  key: string;
}

const lookups: Record<
  Exclude<ReportType, 'account'>,
  { what: string; query: (accountId: number, id: number) => SQL }
> = {
  agent: {
    what: 'Agent',
    query: (accountId, id) =>
      sql`SELECT user_id::text AS key FROM account_users WHERE account_id = ${accountId} AND user_id = ${id}`,
  },
  inbox: {
    what: 'Inbox',
    query: (accountId, id) =>
      sql`SELECT id::text AS key FROM inboxes WHERE account_id = ${accountId} AND id = ${id}`,
  },
  team: {
    what: 'Team',
    query: (accountId, id) =>
      sql`SELECT id::text AS key FROM teams WHERE account_id = ${accountId} AND id = ${id}`,
  },
  label: {
    what: 'Label',
    query: (accountId, id) =>
      sql`SELECT name AS key FROM labels WHERE account_id = ${accountId} AND id = ${id}`,
  },
};

/** Resolves `type` and `id` in the account: another account's agent, inbox, label or team is not found. */
export async function resolveScope(
  db: Db,
  accountId: number,
  type: ReportType,
  id: number | undefined,
): Promise<ReportScope> {
  if (type === 'account') return { accountId, type, key: '' };
  if (id === undefined) {
    throw new DomainError('VALIDATION_FAILED', `id is required for a ${type} report`, [
      { path: 'id', message: `is required for type ${type}` },
    ]);
  }
  const lookup = lookups[type];
  const [row] = await queryRows<{ key: string }>(db, lookup.query(accountId, id));
  if (!row) throw notFound(lookup.what);
  return { accountId, type, key: row.key };
}

/** The scope as a condition on `conversations` (alias c): who the conversation belongs to now. */
export function conversationCondition(scope: ReportScope): SQL {
  switch (scope.type) {
    case 'account':
      return sql`true`;
    case 'agent':
      return sql`c.assignee_id = ${Number(scope.key)}`;
    case 'inbox':
      return sql`c.inbox_id = ${Number(scope.key)}`;
    case 'team':
      return sql`c.team_id = ${Number(scope.key)}`;
    case 'label':
      return sql`c.labels @> ARRAY[${scope.key}]::text[]`;
  }
}
