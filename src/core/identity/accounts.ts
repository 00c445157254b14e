import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { accountCreated, accountUpdated } from './identity.events.js';
import { accounts, accountUsers, type AccountRow } from './identity.tables.js';

export interface CreateAccountInput {
  name: string;
  locale?: string | undefined;
  settings?: Record<string, unknown> | undefined;
  status?: AccountRow['status'] | undefined;
  domain?: string | null | undefined;
  supportEmail?: string | null | undefined;
  customAttributes?: Record<string, unknown> | undefined;
}

function eventPayload(account: AccountRow) {
  return { id: account.id, name: account.name, locale: account.locale, status: account.status };
}

export async function createAccount(db: Db, input: CreateAccountInput, actor: Actor): Promise<AccountRow> {
  return db.transaction(async (tx) => {
    const [account] = await tx
      .insert(accounts)
      .values({
        name: input.name,
        locale: input.locale ?? 'en',
        settings: input.settings ?? {},
        status: input.status ?? 'active',
        domain: input.domain ?? null,
        supportEmail: input.supportEmail ?? null,
        customAttributes: input.customAttributes ?? {},
      })
      .returning();
    if (!account) throw new Error('insert returned no account');
    await recordEvent(tx, accountCreated, {
      accountId: account.id,
      aggregateId: account.id,
      payload: eventPayload(account),
      actor,
    });
    return account;
  });
}

export interface UpdateAccountInput {
  name?: string | undefined;
  locale?: string | undefined;
  status?: AccountRow['status'] | undefined;
  settings?: Record<string, unknown> | undefined;
  domain?: string | null | undefined;
  supportEmail?: string | null | undefined;
  /** Merged key by key, like settings. */
  customAttributes?: Record<string, unknown> | undefined;
}

export async function updateAccount(
  db: Db,
  accountId: number,
  input: UpdateAccountInput,
  actor: Actor,
): Promise<AccountRow> {
  return db.transaction(async (tx) => {
    const [account] = await tx
      .update(accounts)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.locale !== undefined && { locale: input.locale }),
        ...(input.status !== undefined && { status: input.status }),
        // Settings merge key by key, so a client can change one setting without resending all.
        ...(input.settings !== undefined && {
          settings: sql`${accounts.settings} || ${JSON.stringify(input.settings)}::jsonb`,
        }),
        ...(input.domain !== undefined && { domain: input.domain }),
        ...(input.supportEmail !== undefined && { supportEmail: input.supportEmail }),
        ...(input.customAttributes !== undefined && {
          customAttributes: sql`${accounts.customAttributes} || ${JSON.stringify(input.customAttributes)}::jsonb`,
        }),
        updatedAt: sql`now()`,
      })
      .where(eq(accounts.id, accountId))
      .returning();
    if (!account) throw notFound('Account');
    await recordEvent(tx, accountUpdated, {
      accountId,
      aggregateId: accountId,
      payload: eventPayload(account),
      actor,
    });
    return account;
  });
}

export async function findAccount(db: Db, accountId: number): Promise<AccountRow | null> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  return account ?? null;
}

export async function getAccount(db: Db, accountId: number): Promise<AccountRow> {
  const account = await findAccount(db, accountId);
  if (!account) throw notFound('Account');
  return account;
}

export interface ListAccountsOptions {
  /** Restrict to the accounts this user belongs to; absent lists all (platform). */
  userId?: number | undefined;
  afterId?: number | undefined;
  limit: number;
}

export async function listAccounts(db: Db, options: ListAccountsOptions): Promise<Page<AccountRow>> {
  const conditions = [];
  if (options.afterId !== undefined) conditions.push(gt(accounts.id, options.afterId));
  if (options.userId !== undefined) {
    const memberOf = db
      .select({ id: accountUsers.accountId })
      .from(accountUsers)
      .where(eq(accountUsers.userId, options.userId));
    conditions.push(inArray(accounts.id, memberOf));
  }
  const rows = await db
    .select()
    .from(accounts)
    .where(and(...conditions))
    .orderBy(asc(accounts.id))
    .limit(options.limit + 1);
  return toPage(rows, options.limit, (row) => row.id);
}
