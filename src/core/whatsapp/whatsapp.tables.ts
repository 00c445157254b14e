import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';

export const groupMemberRoles = ['member', 'admin', 'superadmin'] as const;
/** `superadmin` is the group's creator, whom nobody can demote or remove (WhatsApp's rule). */
export type GroupMemberRole = (typeof groupMemberRoles)[number];

/**
 * Who is in a WhatsApp group, as Parley last learned it (from its own actions, a sync, or the
 * provider's events). A member who left stays, inactive, so their messages keep a sender.
 */
export const whatsappGroupMembers = pgTable(
  'whatsapp_group_members',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    groupContactId: bigint('group_contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    role: text('role', { enum: groupMemberRoles }).notNull().default('member'),
    isActive: boolean('is_active').notNull().default(true),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('whatsapp_group_members_group_contact_key').on(
      table.accountId,
      table.groupContactId,
      table.contactId,
    ),
    // The members page: active members of one group.
    index('whatsapp_group_members_active_idx')
      .on(table.accountId, table.groupContactId, table.id)
      .where(sql`${table.isActive}`),
    index('whatsapp_group_members_contact_idx').on(table.accountId, table.contactId),
  ],
);

/** The provider instance (a WhatsApp inbox of an account) that owns a row of the stand-in's state. */
function standInInstanceColumns() {
  return {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    inboxId: bigint('inbox_id', { mode: 'number' })
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
  };
}

/**
 * The local stand-in provider's own state: the groups each WhatsApp inbox (one provider instance)
 * belongs to, as a Baileys server would keep them. Parley's tables are never read by the stand-in.
 */
export const whatsappStandInGroups = pgTable(
  'whatsapp_stand_in_groups',
  {
    ...standInInstanceColumns(),
    jid: text('jid').notNull(),
    subject: text('subject').notNull(),
    description: text('description'),
    pictureUrl: text('picture_url'),
    ownerJid: text('owner_jid').notNull(),
    inviteCode: text('invite_code').notNull(),
    /** Only admins may send messages. */
    announce: boolean('announce').notNull().default(false),
    /** Only admins may edit the group's info. */
    restrict: boolean('restrict').notNull().default(false),
    joinApprovalMode: boolean('join_approval_mode').notNull().default(false),
    /** Every member (not only admins) may add members. */
    memberAddMode: boolean('member_add_mode').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.inboxId, table.jid] })],
);

export const standInParticipantStates = ['active', 'left', 'requested'] as const;

/** The stand-in's participants of its groups, and pending join requests (`requested`). */
export const whatsappStandInParticipants = pgTable(
  'whatsapp_stand_in_participants',
  {
    ...standInInstanceColumns(),
    groupJid: text('group_jid').notNull(),
    jid: text('jid').notNull(),
    role: text('role', { enum: groupMemberRoles }).notNull().default('member'),
    state: text('state', { enum: standInParticipantStates }).notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.inboxId, table.groupJid, table.jid] })],
);

/**
 * What the stand-in provider was asked to send: one row per message id and instance, as WhatsApp's
 * servers would have it (a send repeated under the same id is the same message). Tests read it to
 * see what went out; Parley itself never does.
 */
export const whatsappStandInMessages = pgTable(
  'whatsapp_stand_in_messages',
  {
    ...standInInstanceColumns(),
    id: text('id').notNull(),
    /** A user JID (`<digits>@s.whatsapp.net`) or a group JID (`…@g.us`). */
    remoteJid: text('remote_jid').notNull(),
    text: text('text').notNull(),
    /** How many times the instance was asked to send it: more than 1 means a sender repeated itself. */
    sendCount: integer('send_count').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.inboxId, table.id] })],
);

export type GroupMemberRow = typeof whatsappGroupMembers.$inferSelect;
export type StandInGroupRow = typeof whatsappStandInGroups.$inferSelect;
export type StandInParticipantRow = typeof whatsappStandInParticipants.$inferSelect;
export type StandInMessageRow = typeof whatsappStandInMessages.$inferSelect;
