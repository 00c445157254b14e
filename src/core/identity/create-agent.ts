import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { accountUsers, users } from './identity.tables.js';
import { createInvitation, normalizeEmail } from './invitations.js';
import { addMember } from './members.js';
import { createUser, findUserByEmail } from './users.js';
import { listAgentProfilesByUserIds } from './agent-profiles.js';
import { cardOfProfile, fullNameOf, type AgentCard } from './agent-cards.js';
import { findInvitedAgent, saveInvitedAgentProfile } from './invited-agents.js';
import type { InvitedAgentProfile } from './agent-invitation-profiles.tables.js';

export type NewAgentProfile = InvitedAgentProfile;

/**
 * Adds an agent by email, as Modjo's bulk user creation does (src/core/calls/manage-call-users.ts):
 * a new email becomes a user and a member of the account at once; an email that already has a
 * Parley user (of another account) gets a pending invitation instead, so nobody is enrolled without
 * consenting. Both answer the same card built from what was typed, so the caller learns nothing
 * about who owns the email. One transaction: the agent is created whole or not at all.
 */
export async function createAgent(
  db: Db,
  input: { accountId: number; email: string; profile: NewAgentProfile },
  actor: Actor,
): Promise<AgentCard> {
  const email = normalizeEmail(input.email);
  return db.transaction(async (tx) => {
    await assertNotAnAgent(tx, input.accountId, email);
    const existing = await findUserByEmail(tx, email);
    const target = { accountId: input.accountId, email, profile: input.profile };
    return existing ? inviteAgent(tx, target, actor) : enrolAgent(tx, target, actor);
  });
}

interface AgentTarget {
  accountId: number;
  email: string;
  profile: NewAgentProfile;
}

/** An email that is already one of the account's agents is a conflict (the account's own business). */
async function assertNotAnAgent(tx: Db, accountId: number, email: string): Promise<void> {
  const [member] = await tx
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(and(eq(accountUsers.accountId, accountId), sql`lower(${users.email}) = ${email}`));
  if (member) {
    throw new DomainError('CONFLICT', 'An agent with this email already exists', [
      { path: 'email', message: 'has already been taken' },
    ]);
  }
}

/** Nobody has this email yet: the user is created without a password and joins as an agent. */
async function enrolAgent(tx: Db, target: AgentTarget, actor: Actor): Promise<AgentCard> {
  const { profile } = target;
  const user = await createUser(tx, {
    name: fullNameOf(profile),
    email: target.email,
    displayName: profile.displayName,
  });
  await tx
    .update(users)
    .set({
      firstName: profile.firstName ?? null,
      middleNames: profile.middleNames ?? [],
      lastName: profile.lastName ?? null,
      phoneNumber: profile.phoneNumber ?? null,
      avatarUrl: profile.avatarUrl ?? null,
      additionalEmails: profile.additionalEmails ?? [],
      additionalPhoneNumbers: profile.additionalPhoneNumbers ?? [],
    })
    .where(eq(users.id, user.id));
  await addMember(tx, { accountId: target.accountId, userId: user.id, role: 'agent' }, actor);
  const [created] = await listAgentProfilesByUserIds(tx, target.accountId, [user.id]);
  if (!created) throw new Error('the new agent is not a member');
  return cardOfProfile(created);
}

/**
 * Someone already has this email: they are invited and decide. What was typed is kept with the
 * invitation (never written over their own profile) and shown under the invitation's UUID.
 */
async function inviteAgent(tx: Db, target: AgentTarget, actor: Actor): Promise<AgentCard> {
  const { invitation } = await createInvitation(
    tx,
    { accountId: target.accountId, email: target.email, role: 'agent', name: fullNameOf(target.profile) },
    actor,
  );
  const uuid = await saveInvitedAgentProfile(tx, {
    accountId: target.accountId,
    invitationId: invitation.id,
    profile: target.profile,
  });
  const invited = await findInvitedAgent(tx, target.accountId, uuid);
  if (!invited) throw new Error('the new invitation is not pending');
  return invited;
}
