import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { accountInvitations } from './invitations.tables.js';
import { agentInvitationProfiles, type InvitedAgentProfile } from './agent-invitation-profiles.tables.js';
import { cardOfInvitation, type AgentCard } from './agent-cards.js';

const invitedColumns = {
  uuid: agentInvitationProfiles.uuid,
  invitationId: agentInvitationProfiles.invitationId,
  profile: agentInvitationProfiles.profile,
  email: accountInvitations.email,
  role: accountInvitations.role,
  createdAt: agentInvitationProfiles.createdAt,
};

export type InvitedAgent = AgentCard & { invitationId: number };

/** A pending, unexpired invitation answered under this UUID, or null. */
export async function findInvitedAgent(
  db: Db,
  accountId: number,
  uuid: string,
): Promise<InvitedAgent | null> {
  const [row] = await db
    .select(invitedColumns)
    .from(agentInvitationProfiles)
    .innerJoin(
      accountInvitations,
      and(
        eq(accountInvitations.accountId, agentInvitationProfiles.accountId),
        eq(accountInvitations.id, agentInvitationProfiles.invitationId),
      ),
    )
    .where(
      and(
        eq(agentInvitationProfiles.accountId, accountId),
        eq(agentInvitationProfiles.uuid, uuid),
        eq(accountInvitations.status, 'pending'),
        gt(accountInvitations.expiresAt, sql`now()`),
      ),
    );
  return row ? { ...cardOfInvitation(row), invitationId: row.invitationId } : null;
}

/** Keeps what was typed for an invitation; inviting the same email again replaces it, same UUID. */
export async function saveInvitedAgentProfile(
  tx: Db,
  input: { accountId: number; invitationId: number; profile: InvitedAgentProfile },
): Promise<string> {
  const [row] = await tx
    .insert(agentInvitationProfiles)
    .values(input)
    .onConflictDoUpdate({
      target: [agentInvitationProfiles.accountId, agentInvitationProfiles.invitationId],
      set: { profile: input.profile },
    })
    .returning({ uuid: agentInvitationProfiles.uuid });
  if (!row) throw new Error('upsert returned no invitation profile');
  return row.uuid;
}

/** Changes what an invitation shows while it is pending (Dixa's PATCH/PUT on that id). */
export async function updateInvitedAgentProfile(
  db: Db,
  input: { accountId: number; uuid: string; profile: InvitedAgentProfile },
): Promise<InvitedAgent> {
  const invited = await findInvitedAgent(db, input.accountId, input.uuid);
  if (!invited) throw notFound('Agent');
  await db
    .update(agentInvitationProfiles)
    .set({ profile: input.profile })
    .where(
      and(
        eq(agentInvitationProfiles.accountId, input.accountId),
        eq(agentInvitationProfiles.uuid, input.uuid),
      ),
    );
  const updated = await findInvitedAgent(db, input.accountId, input.uuid);
  if (!updated) throw notFound('Agent');
  return updated;
}
