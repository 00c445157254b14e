import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { accountUsers, users, type Availability, type Role } from './identity.tables.js';

/** A member of an account seen as an agent: the user plus what the membership says. */
export interface Agent {
  accountId: number;
  userId: number;
  name: string;
  displayName: string | null;
  email: string;
  avatarUrl: string | null;
  role: Role;
  availability: Availability;
  autoOffline: boolean;
  /** Whether the user can sign in with a password already (Chatwoot's `confirmed`). */
  isConfirmed: boolean;
  createdAt: Date;
}

const agentColumns = {
  accountId: accountUsers.accountId,
  userId: accountUsers.userId,
  name: users.name,
  displayName: users.displayName,
  email: users.email,
  avatarUrl: users.avatarUrl,
  role: accountUsers.role,
  availability: accountUsers.availability,
  autoOffline: accountUsers.autoOffline,
  passwordHash: users.passwordHash,
  createdAt: accountUsers.createdAt,
};

type AgentSelection = Omit<Agent, 'isConfirmed'> & { passwordHash: string | null };

function toAgent(row: AgentSelection): Agent {
  const { passwordHash, ...rest } = row;
  return { ...rest, isConfirmed: passwordHash !== null };
}

/** Every agent of the account, ordered by user id (accounts have tens to hundreds of agents). */
export async function listAgents(db: Db, accountId: number): Promise<Agent[]> {
  const rows = await db
    .select(agentColumns)
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(eq(accountUsers.accountId, accountId))
    .orderBy(asc(accountUsers.userId));
  return rows.map(toAgent);
}

/** The given users as agents of the account, in user id order; users outside the account are skipped. */
export async function listAgentsByIds(db: Db, accountId: number, userIds: number[]): Promise<Agent[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .select(agentColumns)
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(and(eq(accountUsers.accountId, accountId), inArray(accountUsers.userId, userIds)))
    .orderBy(asc(accountUsers.userId));
  return rows.map(toAgent);
}

export async function findAgent(db: Db, accountId: number, userId: number): Promise<Agent | null> {
  const [agent] = await listAgentsByIds(db, accountId, [userId]);
  return agent ?? null;
}

export async function getAgent(db: Db, accountId: number, userId: number): Promise<Agent> {
  const agent = await findAgent(db, accountId, userId);
  if (!agent) throw notFound('Agent');
  return agent;
}
