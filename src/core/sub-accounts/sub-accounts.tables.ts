import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';

/** A postal address as CALLR writes it (`Address`). */
export interface PostalAddress {
  city: string;
  country: string;
  state: string;
  street: string;
  zip: string;
}

/** Who to reach about a sub-account (`SubAccount.Contact`). */
export interface SubAccountContact {
  addresses: PostalAddress[];
  emails: string[];
  phones: string[];
  tech_emails: string[];
}

/** Where a sub-account's invoices go (`SubAccount.Params.Billing` without the currency). */
export interface SubAccountBilling {
  addresses: PostalAddress[];
  emails: string[];
}

/**
 * A child account run by a parent account (CALLR's `SubAccount`). The child is a full Parley
 * account (`account_id`) with one administrator user whose email is the CALLR `login`; this row
 * says who the parent is and holds what CALLR shows about the child beyond the account itself.
 * A parent is never itself a sub-account (one level), so Login-As cannot chain.
 */
export const subAccounts = pgTable(
  'sub_accounts',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    parentAccountId: bigint('parent_account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The child's administrator, who signs in with `login` and the password given at creation. */
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    login: text('login').notNull(),
    company: text('company').notNull().default(''),
    firstname: text('firstname').notNull().default(''),
    lastname: text('lastname').notNull().default(''),
    contact: jsonb('contact').$type<SubAccountContact>().notNull(),
    billing: jsonb('billing').$type<SubAccountBilling>().notNull(),
    currencyCode: text('currency_code', { enum: ['EUR', 'USD'] })
      .notNull()
      .default('EUR'),
    locale: text('locale').notNull().default('en_US'),
    timezone: text('timezone').notNull().default('UTC'),
    allowCallsIn: boolean('allow_calls_in').notNull().default(true),
    allowCallsOut: boolean('allow_calls_out').notNull().default(true),
    allowSmsIn: boolean('allow_sms_in').notNull().default(true),
    allowSmsOut: boolean('allow_sms_out').notNull().default(true),
    disabled: boolean('disabled').notNull().default(false),
    archived: boolean('archived').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('sub_accounts_login_key').on(sql`lower(${table.login})`),
    index('sub_accounts_parent_idx').on(table.parentAccountId, table.archived, table.accountId),
    // An archived sub-account stays disabled: archiving is the end of its service.
    check('sub_accounts_archived_disabled', sql`NOT ${table.archived} OR ${table.disabled}`),
  ],
);

/** How many live (not archived) sub-accounts an account may have; accounts without a row get the default. */
export const subAccountQuotas = pgTable(
  'sub_account_quotas',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    maxSubAccounts: integer('max_sub_accounts').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('sub_account_quotas_max_non_negative', sql`${table.maxSubAccounts} >= 0`)],
);

export type SubAccountRow = typeof subAccounts.$inferSelect;
