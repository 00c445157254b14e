import { and, asc, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { createAccount, updateAccount } from '../identity/accounts.js';
import { accounts } from '../identity/identity.tables.js';
import { addMember } from '../identity/members.js';
import { createUser, findUserByEmail, updateUser } from '../identity/users.js';
import { creditBalances } from '../billing/billing.tables.js';
import {
  subAccountQuotas,
  subAccounts,
  type SubAccountBilling,
  type SubAccountContact,
  type SubAccountRow,
} from './sub-accounts.tables.js';

/** Live sub-accounts an account may have when no quota row says otherwise. */
export const DEFAULT_MAX_SUB_ACCOUNTS = 20;

/** A sub-account with its prepaid credit (cents; 0 for an account that never had a balance). */
export interface SubAccountView extends SubAccountRow {
  creditCents: number;
}

/** How a caller names a sub-account: its login (the child's sign-in email) or its account id. */
export type SubAccountRef = { login: string } | { accountId: number };

const viewColumns = {
  ...getTableColumns(subAccounts),
  creditCents: sql<number>`coalesce(${creditBalances.balanceCents}, 0)`.mapWith(Number),
};

function refCondition(ref: SubAccountRef): SQL {
  return 'login' in ref
    ? sql`lower(${subAccounts.login}) = lower(${ref.login.trim()})`
    : eq(subAccounts.accountId, ref.accountId);
}

/** The sub-account `ref` of `parentAccountId`, or null: another parent's sub-account is not found. */
export async function findSubAccount(
  db: Db,
  parentAccountId: number,
  ref: SubAccountRef,
): Promise<SubAccountView | null> {
  const [row] = await db
    .select(viewColumns)
    .from(subAccounts)
    .leftJoin(creditBalances, eq(creditBalances.accountId, subAccounts.accountId))
    .where(and(eq(subAccounts.parentAccountId, parentAccountId), refCondition(ref)));
  return row ?? null;
}

export async function getSubAccount(
  db: Db,
  parentAccountId: number,
  ref: SubAccountRef,
): Promise<SubAccountView> {
  const found = await findSubAccount(db, parentAccountId, ref);
  if (!found) throw notFound('Sub-account');
  return found;
}

/** What the parent's own row in sub_accounts says about an account: null when it is nobody's child. */
export async function subAccountStateOf(
  db: Db,
  accountId: number,
): Promise<Pick<SubAccountRow, 'parentAccountId' | 'disabled' | 'archived'> | null> {
  const [row] = await db
    .select({
      parentAccountId: subAccounts.parentAccountId,
      disabled: subAccounts.disabled,
      archived: subAccounts.archived,
    })
    .from(subAccounts)
    .where(eq(subAccounts.accountId, accountId));
  return row ?? null;
}

export type SubAccountTraffic = 'calls_in' | 'calls_out' | 'sms_in' | 'sms_out';

/**
 * Whether an account may carry this kind of traffic: an ordinary account always may; a sub-account
 * only while enabled and allowed by its state flags. For the calls and SMS cores to consult.
 */
export async function isTrafficAllowed(
  db: Db,
  accountId: number,
  traffic: SubAccountTraffic,
): Promise<boolean> {
  const [row] = await db.select().from(subAccounts).where(eq(subAccounts.accountId, accountId));
  if (!row) return true;
  if (row.disabled) return false;
  const flags: Record<SubAccountTraffic, boolean> = {
    calls_in: row.allowCallsIn,
    calls_out: row.allowCallsOut,
    sms_in: row.allowSmsIn,
    sms_out: row.allowSmsOut,
  };
  return flags[traffic];
}

export interface CreateSubAccountInput {
  company: string;
  firstname: string;
  lastname: string;
  contact: SubAccountContact;
  billing: SubAccountBilling;
  /** The child administrator's password, in clear: the face decides it (AUTO or MANUAL). */
  password: string;
}

/**
 * Creates a child account, its administrator (login = the contact email) and the sub-account row,
 * all or nothing. The parent's account row is locked while the quota is counted, so two creations
 * at once cannot both take the last slot.
 */
export async function createSubAccount(
  db: Db,
  parentAccountId: number,
  input: CreateSubAccountInput,
  actor: Actor,
): Promise<SubAccountView> {
  const [login] = input.contact.emails;
  if (login === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'A sub-account needs a contact email', [
      { path: 'contact.emails', message: 'must hold one email' },
    ]);
  }
  // The key derivation is slow by design: run it before the transaction holds the parent's lock.
  const passwordHash = await hashPassword(input.password);
  const childId = await db.transaction(async (tx) => {
    const [parent] = await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(eq(accounts.id, parentAccountId))
      .for('update');
    if (!parent) throw notFound('Account');
    if (await subAccountStateOf(tx, parentAccountId)) {
      throw new DomainError('FORBIDDEN', 'A sub-account cannot have sub-accounts of its own');
    }
    const quota = await subAccountQuota(tx, parentAccountId);
    if (quota.actual >= quota.max) {
      throw new DomainError(
        'CONFLICT',
        `The sub-account quota is reached (${quota.actual} of ${quota.max}); archive one or ask for a larger quota`,
      );
    }
    if (await findUserByEmail(tx, login)) {
      throw new DomainError(
        'CONFLICT',
        `${login} is already a login: give the sub-account its own contact email`,
        [{ path: 'contact.emails', message: 'is already taken' }],
      );
    }
    const name = input.company || `${input.firstname} ${input.lastname}`.trim() || login;
    const child = await createAccount(tx, { name, locale: 'en' }, actor);
    const user = await createUser(tx, {
      name: `${input.firstname} ${input.lastname}`.trim() || name,
      email: login,
      passwordHash,
    });
    await addMember(tx, { accountId: child.id, userId: user.id, role: 'administrator' }, actor);
    await tx.insert(subAccounts).values({
      accountId: child.id,
      parentAccountId,
      userId: user.id,
      login: user.email,
      company: input.company,
      firstname: input.firstname,
      lastname: input.lastname,
      contact: input.contact,
      billing: input.billing,
    });
    return child.id;
  });
  return getSubAccount(db, parentAccountId, { accountId: childId });
}

export type SubAccountOrder = 'login' | '-login' | 'created_at' | '-created_at';

export interface ListSubAccountsOptions {
  /** true: only archived; false: only not archived; null: both. */
  archived: boolean | null;
  offset: number;
  limit: number;
  order: SubAccountOrder;
}

/** One page of the parent's sub-accounts and how many match in all (one query, plus a count past the end). */
export async function listSubAccounts(
  db: Db,
  parentAccountId: number,
  options: ListSubAccountsOptions,
): Promise<{ items: SubAccountView[]; total: number }> {
  const where = and(
    eq(subAccounts.parentAccountId, parentAccountId),
    options.archived === null ? undefined : eq(subAccounts.archived, options.archived),
  );
  const orderBy = {
    login: [asc(sql`lower(${subAccounts.login})`)],
    '-login': [desc(sql`lower(${subAccounts.login})`)],
    created_at: [asc(subAccounts.createdAt), asc(subAccounts.accountId)],
    '-created_at': [desc(subAccounts.createdAt), desc(subAccounts.accountId)],
  }[options.order];
  const rows = await db
    .select({ ...viewColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(subAccounts)
    .leftJoin(creditBalances, eq(creditBalances.accountId, subAccounts.accountId))
    .where(where)
    .orderBy(...orderBy)
    .limit(options.limit)
    .offset(options.offset);
  const [first] = rows;
  const items = rows.map(({ total: _total, ...row }) => row);
  if (first) return { items, total: first.total };
  // Past the last page (or nothing at all): the window count had no row to ride on.
  const [counted] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(subAccounts)
    .where(where);
  return { items, total: counted?.total ?? 0 };
}

export interface EditSubAccountInput {
  contact?: SubAccountContact | undefined;
  billing?: SubAccountBilling | undefined;
}

/** Replaces the contact and/or billing objects given; the login stays what it was at creation. */
export async function editSubAccount(
  db: Db,
  parentAccountId: number,
  ref: SubAccountRef,
  input: EditSubAccountInput,
): Promise<SubAccountView> {
  const [row] = await db
    .update(subAccounts)
    .set({
      ...(input.contact !== undefined && { contact: input.contact }),
      ...(input.billing !== undefined && { billing: input.billing }),
      updatedAt: sql`now()`,
    })
    .where(and(eq(subAccounts.parentAccountId, parentAccountId), refCondition(ref)))
    .returning({ accountId: subAccounts.accountId });
  if (!row) throw notFound('Sub-account');
  return getSubAccount(db, parentAccountId, { accountId: row.accountId });
}

export type SubAccountStateChange = 'disable' | 'enable' | 'archive';

/**
 * Disables, enables or archives a sub-account. The child account's status follows (suspended while
 * disabled), so every face that reads it sees the same state. Archiving also disables, and an
 * archived sub-account cannot be enabled again. Doing what is already done is harmless.
 */
export async function changeSubAccountState(
  db: Db,
  parentAccountId: number,
  ref: SubAccountRef,
  change: SubAccountStateChange,
  actor: Actor,
): Promise<SubAccountView> {
  const accountId = await db.transaction(async (tx) => {
    const [current] = await tx
      .select({
        accountId: subAccounts.accountId,
        archived: subAccounts.archived,
        disabled: subAccounts.disabled,
      })
      .from(subAccounts)
      .where(and(eq(subAccounts.parentAccountId, parentAccountId), refCondition(ref)))
      .for('update');
    if (!current) throw notFound('Sub-account');
    if (change === 'enable' && current.archived) {
      throw new DomainError('INVALID_STATE', 'An archived sub-account cannot be enabled again');
    }
    const disabled = change !== 'enable';
    const archived = current.archived || change === 'archive';
    if (disabled === current.disabled && archived === current.archived) return current.accountId;
    await tx
      .update(subAccounts)
      .set({ disabled, archived, updatedAt: sql`now()` })
      .where(eq(subAccounts.accountId, current.accountId));
    await updateAccount(tx, current.accountId, { status: disabled ? 'suspended' : 'active' }, actor);
    return current.accountId;
  });
  return getSubAccount(db, parentAccountId, { accountId });
}

export interface SubAccountTrafficFlags {
  allowCallsIn?: boolean | undefined;
  allowCallsOut?: boolean | undefined;
  allowSmsIn?: boolean | undefined;
  allowSmsOut?: boolean | undefined;
}

/** Sets which traffic the sub-account may carry (`SubAccount.State` allow_* flags); absent flags stay. */
export async function setSubAccountTraffic(
  db: Db,
  parentAccountId: number,
  ref: SubAccountRef,
  flags: SubAccountTrafficFlags,
): Promise<SubAccountView> {
  const [row] = await db
    .update(subAccounts)
    .set({
      ...(flags.allowCallsIn !== undefined && { allowCallsIn: flags.allowCallsIn }),
      ...(flags.allowCallsOut !== undefined && { allowCallsOut: flags.allowCallsOut }),
      ...(flags.allowSmsIn !== undefined && { allowSmsIn: flags.allowSmsIn }),
      ...(flags.allowSmsOut !== undefined && { allowSmsOut: flags.allowSmsOut }),
      updatedAt: sql`now()`,
    })
    .where(and(eq(subAccounts.parentAccountId, parentAccountId), refCondition(ref)))
    .returning({ accountId: subAccounts.accountId });
  if (!row) throw notFound('Sub-account');
  return getSubAccount(db, parentAccountId, { accountId: row.accountId });
}

/** Gives the sub-account's administrator a new password (the old one stops working). */
export async function resetSubAccountPassword(
  db: Db,
  parentAccountId: number,
  ref: SubAccountRef,
  password: string,
): Promise<SubAccountView> {
  const found = await getSubAccount(db, parentAccountId, ref);
  if (found.userId === null)
    throw new DomainError('INVALID_STATE', 'This sub-account has no login user any more');
  await updateUser(db, found.userId, { password });
  return found;
}

/** The parent's live (not archived) sub-accounts and how many it may have. */
export async function subAccountQuota(
  db: Db,
  parentAccountId: number,
): Promise<{ actual: number; max: number }> {
  const [used] = await db
    .select({ actual: sql<number>`count(*)`.mapWith(Number) })
    .from(subAccounts)
    .where(and(eq(subAccounts.parentAccountId, parentAccountId), eq(subAccounts.archived, false)));
  const [quota] = await db
    .select({ max: subAccountQuotas.maxSubAccounts })
    .from(subAccountQuotas)
    .where(eq(subAccountQuotas.accountId, parentAccountId));
  return { actual: used?.actual ?? 0, max: quota?.max ?? DEFAULT_MAX_SUB_ACCOUNTS };
}

/** Sets how many live sub-accounts an account may have (platform operators; tests). */
export async function setSubAccountQuota(db: Db, accountId: number, maxSubAccounts: number): Promise<void> {
  await db
    .insert(subAccountQuotas)
    .values({ accountId, maxSubAccounts })
    .onConflictDoUpdate({
      target: subAccountQuotas.accountId,
      set: { maxSubAccounts, updatedAt: sql`now()` },
    });
}
