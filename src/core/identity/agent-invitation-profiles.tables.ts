import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  jsonb,
  pgTable,
  primaryKey,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accountInvitations } from './invitations.tables.js';

/** The Dixa agent fields an administrator typed for someone who could only be invited. */
export interface InvitedAgentProfile {
  displayName: string;
  firstName?: string | undefined;
  middleNames?: string[] | undefined;
  lastName?: string | undefined;
  phoneNumber?: string | undefined;
  avatarUrl?: string | undefined;
  additionalEmails?: string[] | undefined;
  additionalPhoneNumbers?: string[] | undefined;
}

/**
 * A pending invitation made where a face speaks UUIDs (Dixa's POST /v1/agents with an email that
 * already has a Parley user): the id it was answered under and what was typed, so the caller can
 * read back what it created without learning who owns the email. The invitee's own profile is
 * never overwritten with it.
 */
export const agentInvitationProfiles = pgTable(
  'agent_invitation_profiles',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    invitationId: bigint('invitation_id', { mode: 'number' }).notNull(),
    uuid: uuid('uuid').notNull().defaultRandom(),
    profile: jsonb('profile')
      .$type<InvitedAgentProfile>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.invitationId] }),
    foreignKey({
      name: 'agent_invitation_profiles_invitation_fk',
      columns: [table.accountId, table.invitationId],
      foreignColumns: [accountInvitations.accountId, accountInvitations.id],
    }).onDelete('cascade'),
    uniqueIndex('agent_invitation_profiles_uuid_key').on(table.uuid),
  ],
);
