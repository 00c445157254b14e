import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { createContact, findContactBy } from '../contacts/contacts.js';
import { removeAgent } from './agent-changes.js';
import { revokeInvitation } from './invitations.js';
import { findAgentProfileByUuid, type AgentProfile } from './agent-profiles.js';
import { findInvitedAgent } from './invited-agents.js';

/**
 * Dixa's "downgrade an agent/admin to become an end user", in one transaction: the membership
 * ends (with its inbox and team seats; the last administrator cannot go) and the account has a
 * contact with the agent's email and name afterwards, an existing one if it already had one. The
 * user itself stays: it may belong to other accounts. A pending invitation shown under this id is
 * withdrawn instead, since its invitee never became an agent. Returns the contact's id, if any.
 */
export async function downgradeAgent(
  db: Db,
  input: { accountId: number; uuid: string },
  actor: Actor,
): Promise<{ contactId: number | null }> {
  return db.transaction(async (tx) => {
    const agent = await findAgentProfileByUuid(tx, input.accountId, input.uuid);
    if (!agent) {
      const invited = await findInvitedAgent(tx, input.accountId, input.uuid);
      if (!invited) throw notFound('Agent');
      await revokeInvitation(tx, input.accountId, invited.invitationId, actor);
      return { contactId: null };
    }
    await removeAgent(tx, input.accountId, agent.userId, actor);
    return { contactId: await ensureEndUser(tx, agent, actor) };
  });
}

/** The contact with the agent's email, created with their name and phone number when missing. */
async function ensureEndUser(tx: Db, agent: AgentProfile, actor: Actor): Promise<number> {
  const existing = await findContactBy(tx, agent.accountId, { email: agent.email });
  if (existing) return existing.id;
  // A phone number another contact already has stays with that contact.
  const phoneOwner = agent.phoneNumber
    ? await findContactBy(tx, agent.accountId, { phoneNumber: agent.phoneNumber })
    : null;
  const contact = await createContact(tx, {
    accountId: agent.accountId,
    name: agent.displayName ?? agent.name,
    email: agent.email,
    ...(agent.phoneNumber && !phoneOwner && { phoneNumber: agent.phoneNumber }),
    ...(agent.avatarUrl && { avatarUrl: agent.avatarUrl }),
    actor,
  });
  return contact.id;
}
