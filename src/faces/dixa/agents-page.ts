import { and, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { listAgentProfiles, type AgentProfileFilter } from '../../core/identity/agent-profiles.js';
import { cardOfInvitation, cardOfProfile, type AgentCard } from '../../core/identity/agent-cards.js';
import {
  toAgentPage,
  userIdOrder,
  userIdRange,
  type AgentPage,
  type AgentPageRequest,
} from '../../core/identity/agent-pages.js';
import { accountInvitations } from '../../core/identity/invitations.tables.js';
import { agentInvitationProfiles } from '../../core/identity/agent-invitation-profiles.tables.js';

/**
 * Dixa's agent list: the account's members and the agents it invited who have not answered yet
 * (Dixa answers a create with an agent id at once, so that id must be listed too). Invitation ids
 * are drawn from the users' sequence, so one id ordering runs over both without ties: a page is
 * the first `limit` of two keyset range scans (members by user id, invitations by invitation id)
 * merged, and the page key stays that one id.
 */
export async function listDixaAgents(
  db: Db,
  options: AgentProfileFilter & AgentPageRequest & { accountId: number },
): Promise<AgentPage<AgentCard>> {
  // One row past each side's page: merged, the first limit + 1 still say whether more exist.
  const wider = { ...options, limit: options.limit + 1 };
  const [members, invited] = await Promise.all([
    listAgentProfiles(db, wider),
    listInvitedAgentRows(db, wider),
  ]);
  const backward = options.beforeUserId !== undefined;
  const rows = [
    ...members.items.map((profile) => ({ id: profile.userId, card: cardOfProfile(profile) })),
    ...invited.map((row) => ({ id: row.invitationId, card: cardOfInvitation(row) })),
  ]
    // In the order the scans read (descending for a previous page), as toAgentPage expects.
    .sort((left, right) => (backward ? right.id - left.id : left.id - right.id))
    .slice(0, options.limit + 1);
  const page = toAgentPage(rows, options, (row) => row.id);
  return { ...page, items: page.items.map((row) => row.card) };
}

/** Pending, unexpired invitations made through a UUID-speaking face, by invitation id. */
function listInvitedAgentRows(
  db: Db,
  options: AgentProfileFilter & AgentPageRequest & { accountId: number },
) {
  return db
    .select({
      invitationId: agentInvitationProfiles.invitationId,
      uuid: agentInvitationProfiles.uuid,
      profile: agentInvitationProfiles.profile,
      email: accountInvitations.email,
      role: accountInvitations.role,
      createdAt: agentInvitationProfiles.createdAt,
    })
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
        eq(agentInvitationProfiles.accountId, options.accountId),
        eq(accountInvitations.status, 'pending'),
        gt(accountInvitations.expiresAt, sql`now()`),
        options.email === undefined ? undefined : invitedWithEmail(options.email),
        options.phoneNumber === undefined ? undefined : invitedWithPhone(options.phoneNumber),
        userIdRange(agentInvitationProfiles.invitationId, options),
      ),
    )
    .orderBy(userIdOrder(agentInvitationProfiles.invitationId, options))
    .limit(options.limit);
}

/** The invited email or one of the additional emails typed, compared case-insensitively (as for members). */
function invitedWithEmail(email: string): SQL {
  const wanted = email.trim().toLowerCase();
  return sql`(lower(${accountInvitations.email}) = ${wanted} OR EXISTS (
    SELECT 1 FROM jsonb_array_elements_text(coalesce(${agentInvitationProfiles.profile} -> 'additionalEmails', '[]'::jsonb)) AS other(email)
    WHERE lower(other.email) = ${wanted}))`;
}

function invitedWithPhone(phone: string): SQL {
  const wanted = phone.trim();
  return sql`(${agentInvitationProfiles.profile} ->> 'phoneNumber' = ${wanted}
    OR coalesce(${agentInvitationProfiles.profile} -> 'additionalPhoneNumbers', '[]'::jsonb) @> jsonb_build_array(${wanted}::text))`;
}
