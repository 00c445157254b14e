import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts, users } from './identity.tables.js';

/**
 * An offer to join an account, addressed to an email. Adding someone who already has a user goes
 * through one of these, so nobody is enrolled without consenting and the inviter learns nothing
 * about who owns the email. Only the hash of the acceptance token is stored.
 */
export const accountInvitations = pgTable(
  'account_invitations',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /**
     * Drawn from the users' sequence, so an invitation id never equals a user id: the Chatwoot face
     * shows pending invitations among the agents, addressed by the same `/agents/{id}` paths.
     */
    id: bigint('id', { mode: 'number' })
      .notNull()
      .default(sql`nextval('users_id_seq')`),
    /** Lower-cased and trimmed, as Chatwoot stores emails. */
    email: text('email').notNull(),
    /** The name the inviter suggested; the invitee may choose another when accepting. */
    name: text('name'),
    role: text('role', { enum: ['administrator', 'agent'] }).notNull(),
    availability: text('availability', { enum: ['online', 'busy', 'offline'] })
      .notNull()
      .default('offline'),
    autoOffline: boolean('auto_offline').notNull().default(true),
    status: text('status', { enum: ['pending', 'accepted', 'declined', 'revoked'] })
      .notNull()
      .default('pending'),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    /** Who accepted; kept for the audit trail, never shown to the inviter. */
    acceptedUserId: bigint('accepted_user_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    uniqueIndex('account_invitations_token_key').on(table.tokenHash),
    /** One pending invitation per email and account: inviting again refreshes it. */
    uniqueIndex('account_invitations_pending_email_key')
      .on(table.accountId, table.email)
      .where(sql`status = 'pending'`),
    index('account_invitations_email_idx').on(table.email),
    foreignKey({ columns: [table.acceptedUserId], foreignColumns: [users.id] }).onDelete('set null'),
  ],
);

export type InvitationRow = typeof accountInvitations.$inferSelect;
export type InvitationStatus = InvitationRow['status'];
