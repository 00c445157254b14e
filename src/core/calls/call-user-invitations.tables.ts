import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accountInvitations } from '../identity/invitations.tables.js';

/**
 * What a call tool (Modjo's bulk user creation) asked for someone it could only invite: their
 * recording licence, language and teams. Shown with the pending invitation, so it reads like the
 * user it stands for, and applied when the invitation is accepted.
 */
export const callUserInvitations = pgTable(
  'call_user_invitations',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    invitationId: bigint('invitation_id', { mode: 'number' }).notNull(),
    hasLicense: boolean('has_license').notNull().default(false),
    language: text('language'),
    /** Sorted, distinct; teams deleted since are dropped when read or applied. */
    teamIds: bigint('team_ids', { mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.invitationId] }),
    foreignKey({
      name: 'call_user_invitations_invitation_fk',
      columns: [table.accountId, table.invitationId],
      foreignColumns: [accountInvitations.accountId, accountInvitations.id],
    }).onDelete('cascade'),
  ],
);
