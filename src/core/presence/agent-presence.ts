import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { accessTokens, accountUsers, users, type Availability } from '../identity/identity.tables.js';
import { channelTypes, type ChannelType } from '../inboxes/inboxes.tables.js';
import { teamMembers } from '../teams/teams.tables.js';
import {
  toAgentPage,
  userIdOrder,
  userIdRange,
  type AgentPage,
  type AgentPageRequest,
} from '../identity/agent-pages.js';
import { agentPresence } from './presence.tables.js';

/**
 * An agent's presence in one account. `availability` is the membership's (the real-time tracker
 * sets it from connections; routing reads `online` as "connected and working"); last seen is the
 * later of their last connection change and their last token use (written at most once a minute
 * by authentication, so reading it costs no write on the request path).
 */
export interface AgentPresence {
  userId: number;
  uuid: string;
  availability: Availability;
  lastSeenAt: Date | null;
  /** The channels they chose, else every channel type their inboxes serve; sorted. */
  activeChannels: ChannelType[];
}

const lastSeenAt = sql<Date | null>`greatest(${agentPresence.lastSeenAt}, (
  SELECT max(${accessTokens.lastUsedAt}) FROM ${accessTokens} WHERE ${accessTokens.userId} = ${accountUsers.userId}
))`.mapWith(agentPresence.lastSeenAt);

const activeChannels = sql<string[]>`coalesce(${agentPresence.activeChannels}, ARRAY(
  SELECT DISTINCT inboxes.channel_type FROM inbox_members
  JOIN inboxes ON inboxes.id = inbox_members.inbox_id AND inboxes.account_id = inbox_members.account_id
  WHERE inbox_members.account_id = ${accountUsers.accountId} AND inbox_members.user_id = ${accountUsers.userId}
  ORDER BY 1
))`;

function selectPresence(db: Db) {
  return db
    .select({
      userId: accountUsers.userId,
      uuid: users.uuid,
      availability: accountUsers.availability,
      lastSeenAt,
      activeChannels,
    })
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .leftJoin(
      agentPresence,
      and(eq(agentPresence.accountId, accountUsers.accountId), eq(agentPresence.userId, accountUsers.userId)),
    );
}

function toPresence(
  row: { activeChannels: string[] } & Omit<AgentPresence, 'activeChannels'>,
): AgentPresence {
  const known = new Set<string>(channelTypes);
  return {
    ...row,
    activeChannels: row.activeChannels.filter((type): type is ChannelType => known.has(type)).sort(),
  };
}

/** The presence of the account's agents (or of one team's), walked by user id. */
export async function listAgentPresence(
  db: Db,
  options: AgentPageRequest & { accountId: number; teamId?: number | undefined },
): Promise<AgentPage<AgentPresence>> {
  const base = selectPresence(db);
  const query =
    options.teamId === undefined
      ? base
      : base.innerJoin(
          teamMembers,
          and(
            eq(teamMembers.accountId, accountUsers.accountId),
            eq(teamMembers.userId, accountUsers.userId),
            eq(teamMembers.teamId, options.teamId),
          ),
        );
  const rows = await query
    .where(and(eq(accountUsers.accountId, options.accountId), userIdRange(accountUsers.userId, options)))
    .orderBy(userIdOrder(accountUsers.userId, options))
    .limit(options.limit + 1);
  return toAgentPage(rows.map(toPresence), options, (row) => row.userId);
}

export async function getAgentPresenceByUuid(
  db: Db,
  accountId: number,
  uuid: string,
): Promise<AgentPresence> {
  const [row] = await selectPresence(db).where(
    and(eq(accountUsers.accountId, accountId), eq(users.uuid, uuid)),
  );
  if (!row) throw notFound('Agent');
  return toPresence(row);
}

/**
 * Chooses the channels an agent works on in the account; null goes back to every channel their
 * inboxes serve. Not an availability change, so no event and no history row.
 */
export async function setActiveChannels(
  db: Db,
  input: { accountId: number; userId: number; channels: ChannelType[] | null },
): Promise<void> {
  const channels = input.channels === null ? null : [...new Set(input.channels)].sort();
  const [member] = await db
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, input.accountId), eq(accountUsers.userId, input.userId)));
  if (!member) throw notFound('Agent');
  await db
    .insert(agentPresence)
    .values({ accountId: input.accountId, userId: input.userId, activeChannels: channels })
    .onConflictDoUpdate({
      target: [agentPresence.accountId, agentPresence.userId],
      set: { activeChannels: channels, updatedAt: sql`now()` },
    });
}
