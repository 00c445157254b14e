import {
  bigint,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { accounts, accountUsers } from '../identity/identity.tables.js';

/** Why a presence history row was written; the trigger and the tracker name these. */
export const presenceCauses = ['joined', 'left', 'connected', 'disconnected', 'changed'] as const;

/**
 * What a membership's `availability` does not say: when the agent was last seen (connecting,
 * disconnecting; token use is read from access_tokens) and the channels they chose to work on.
 * `activeChannels` holds inbox channel types; null means every channel their inboxes serve.
 */
export const agentPresence = pgTable(
  'agent_presence',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    activeChannels: text('active_channels').array(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.userId] }),
    foreignKey({
      name: 'agent_presence_membership_fk',
      columns: [table.accountId, table.userId],
      foreignColumns: [accountUsers.accountId, accountUsers.userId],
    }).onDelete('cascade'),
  ],
);

/**
 * Append-only: one row per change of a membership's availability, written by a trigger on
 * account_users (migration 0013) so no writer can forget it. Licence peaks and presence reports
 * read ranges of it by (account, time). No foreign key to users: history outlives memberships.
 */
export const agentPresenceChanges = pgTable(
  'agent_presence_changes',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** joined, left, connected, disconnected, or changed (any other writer). */
    cause: text('cause', { enum: presenceCauses }).notNull(),
    /** online, busy or offline after the change. */
    availability: text('availability', { enum: ['online', 'busy', 'offline'] }).notNull(),
    /** Null when the membership started with this change. */
    previousAvailability: text('previous_availability', { enum: ['online', 'busy', 'offline'] }),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    index('agent_presence_changes_account_at_idx').on(table.accountId, table.at),
  ],
);

/**
 * A Parley node that holds real-time connections. Its heartbeat says it is alive: a node whose
 * heartbeat is older than the expiry is presumed crashed, and its connections no longer count.
 * Not a tenant table: nodes serve every account.
 */
export const realtimeNodes = pgTable(
  'realtime_nodes',
  {
    id: text('id').primaryKey(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('realtime_nodes_heartbeat_idx').on(table.heartbeatAt)],
);

/**
 * How many real-time connections one node holds for an agent in an account. An agent is online
 * while any live node holds one; the counts live here, not in a node's memory, so that one node
 * closing its last connection cannot set offline an agent another node still serves.
 */
export const agentConnections = pgTable(
  'agent_connections',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    nodeId: text('node_id').notNull(),
    connections: integer('connections').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.userId, table.nodeId] }),
    foreignKey({
      name: 'agent_connections_membership_fk',
      columns: [table.accountId, table.userId],
      foreignColumns: [accountUsers.accountId, accountUsers.userId],
    }).onDelete('cascade'),
    index('agent_connections_node_idx').on(table.nodeId),
  ],
);

export type PresenceChangeRow = typeof agentPresenceChanges.$inferSelect;
export type PresenceCause = PresenceChangeRow['cause'];
