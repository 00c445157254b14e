import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  foreignKey,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** A tenant. Every other tenant table carries its id first. */
export const accounts = pgTable('accounts', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  locale: text('locale').notNull().default('en'),
  status: text('status', { enum: ['active', 'suspended'] })
    .notNull()
    .default('active'),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  domain: text('domain'),
  supportEmail: text('support_email'),
  customAttributes: jsonb('custom_attributes').$type<Record<string, unknown>>().notNull().default({}),
  ...timestamps,
});

/** A person who can sign in; belongs to accounts through memberships. */
export const users = pgTable(
  'users',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The id faces that speak UUIDs (Dixa) use for this user. */
    uuid: uuid('uuid').notNull().defaultRandom(),
    name: text('name').notNull(),
    displayName: text('display_name'),
    firstName: text('first_name'),
    middleNames: text('middle_names').array().notNull().default([]),
    lastName: text('last_name'),
    email: text('email').notNull(),
    phoneNumber: text('phone_number'),
    additionalEmails: text('additional_emails').array().notNull().default([]),
    additionalPhoneNumbers: text('additional_phone_numbers').array().notNull().default([]),
    passwordHash: text('password_hash'),
    avatarUrl: text('avatar_url'),
    messageSignature: text('message_signature'),
    customAttributes: jsonb('custom_attributes').$type<Record<string, unknown>>().notNull().default({}),
    uiSettings: jsonb('ui_settings').$type<Record<string, unknown>>().notNull().default({}),
    availability: text('availability', { enum: ['online', 'busy', 'offline'] })
      .notNull()
      .default('offline'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('users_email_key').on(sql`lower(${table.email})`),
    uniqueIndex('users_uuid_key').on(table.uuid),
  ],
);

export const accountUsers = pgTable(
  'account_users',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['administrator', 'agent'] }).notNull(),
    availability: text('availability', { enum: ['online', 'busy', 'offline'] })
      .notNull()
      .default('offline'),
    /** Go offline automatically when the agent's last real-time connection closes. */
    autoOffline: boolean('auto_offline').notNull().default(true),
    ...timestamps,
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.userId] }),
    index('account_users_user_idx').on(table.userId),
  ],
);

/** A user's personal token: acts as that user on every face. Only the hash is stored. */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('access_tokens_hash_key').on(table.tokenHash),
    index('access_tokens_user_idx').on(table.userId),
  ],
);

/** An account's API key: acts as the account itself, with the role it was given. */
export const apiKeys = pgTable(
  'api_keys',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    role: text('role', { enum: ['administrator', 'agent'] })
      .notNull()
      .default('administrator'),
    tokenHash: text('token_hash').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    createdByUserId: bigint('created_by_user_id', { mode: 'number' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    uniqueIndex('api_keys_hash_key').on(table.tokenHash),
    foreignKey({ columns: [table.createdByUserId], foreignColumns: [users.id] }).onDelete('set null'),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type Role = (typeof accountUsers.$inferSelect)['role'];
export type Availability = UserRow['availability'];
