import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { accountUsers, users } from './identity.tables.js';
import { findAgentProfileByUuid, getAgentProfileByUuid, type AgentProfile } from './agent-profiles.js';
import { cardOfProfile, fullNameOf, type AgentCard } from './agent-cards.js';
import { findInvitedAgent, updateInvitedAgentProfile, type InvitedAgent } from './invited-agents.js';
import type { InvitedAgentProfile } from './agent-invitation-profiles.tables.js';
import { agentProfileUpdated } from './agent-profiles.events.js';

/** Fields to change; undefined keeps the value, null (or an empty list) clears it. */
export interface AgentProfileChanges {
  displayName?: string | undefined;
  firstName?: string | null | undefined;
  middleNames?: string[] | undefined;
  lastName?: string | null | undefined;
  phoneNumber?: string | null | undefined;
  avatarUrl?: string | null | undefined;
  additionalEmails?: string[] | undefined;
  additionalPhoneNumbers?: string[] | undefined;
}

const profileKeys = [
  'displayName',
  'firstName',
  'middleNames',
  'lastName',
  'phoneNumber',
  'avatarUrl',
  'additionalEmails',
  'additionalPhoneNumbers',
] as const;

/**
 * Changes an agent's profile, or what a pending invitation shows. A user who also belongs to
 * another account keeps their profile: one organization does not rename someone another one
 * employs too, so that is refused (403).
 */
export async function changeAgentProfile(
  db: Db,
  input: { accountId: number; uuid: string; changes: AgentProfileChanges },
  actor: Actor,
): Promise<AgentCard> {
  const given = profileKeys.filter((key) => input.changes[key] !== undefined);
  if (given.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'The patch is empty: give at least one field to change');
  }
  return db.transaction(async (tx) => {
    const current = await findAgentProfileByUuid(tx, input.accountId, input.uuid);
    if (!current) {
      const invited = await findInvitedAgent(tx, input.accountId, input.uuid);
      if (!invited) throw notFound('Agent');
      const profile = mergeInvited(invited, input.changes);
      return updateInvitedAgentProfile(tx, { accountId: input.accountId, uuid: input.uuid, profile });
    }
    await assertProfileBelongsToAccount(tx, current);
    const changed = given.filter(
      (key) => JSON.stringify(input.changes[key]) !== JSON.stringify(valueOf(current, key)),
    );
    if (changed.length === 0) return cardOfProfile(current);
    await writeProfile(tx, current, input.changes);
    await recordEvent(tx, agentProfileUpdated, {
      accountId: current.accountId,
      aggregateId: `${current.accountId}:${current.userId}`,
      payload: { accountId: current.accountId, userId: current.userId, uuid: current.uuid, fields: changed },
      actor,
    });
    return cardOfProfile(await getAgentProfileByUuid(tx, input.accountId, input.uuid));
  });
}

function valueOf(profile: AgentProfile, key: (typeof profileKeys)[number]): unknown {
  return key === 'displayName' ? (profile.displayName ?? profile.name) : profile[key];
}

async function assertProfileBelongsToAccount(tx: Db, profile: AgentProfile): Promise<void> {
  const [elsewhere] = await tx
    .select({ accountId: accountUsers.accountId })
    .from(accountUsers)
    .where(and(eq(accountUsers.userId, profile.userId), ne(accountUsers.accountId, profile.accountId)))
    .limit(1);
  if (elsewhere) {
    throw new DomainError(
      'FORBIDDEN',
      'This agent also belongs to another organization: only they can change their profile',
    );
  }
}

async function writeProfile(tx: Db, current: AgentProfile, changes: AgentProfileChanges): Promise<void> {
  const merged = {
    displayName: changes.displayName ?? current.displayName ?? current.name,
    firstName: changes.firstName === undefined ? current.firstName : changes.firstName,
    middleNames: changes.middleNames ?? current.middleNames,
    lastName: changes.lastName === undefined ? current.lastName : changes.lastName,
  };
  await tx
    .update(users)
    .set({
      name: fullNameOf(merged),
      displayName: merged.displayName,
      firstName: merged.firstName,
      middleNames: merged.middleNames,
      lastName: merged.lastName,
      ...(changes.phoneNumber !== undefined && { phoneNumber: changes.phoneNumber }),
      ...(changes.avatarUrl !== undefined && { avatarUrl: changes.avatarUrl }),
      ...(changes.additionalEmails !== undefined && { additionalEmails: changes.additionalEmails }),
      ...(changes.additionalPhoneNumbers !== undefined && {
        additionalPhoneNumbers: changes.additionalPhoneNumbers,
      }),
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, current.userId));
}

/** The stored invitation profile after the changes; cleared fields are dropped, not kept as null. */
function mergeInvited(invited: InvitedAgent, changes: AgentProfileChanges): InvitedAgentProfile {
  const merged: Record<string, unknown> = {
    displayName: invited.displayName,
    firstName: invited.firstName,
    middleNames: invited.middleNames,
    lastName: invited.lastName,
    phoneNumber: invited.phoneNumber,
    avatarUrl: invited.avatarUrl,
    additionalEmails: invited.additionalEmails,
    additionalPhoneNumbers: invited.additionalPhoneNumbers,
  };
  for (const key of profileKeys) {
    if (changes[key] !== undefined) merged[key] = changes[key];
  }
  return Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== null && value !== undefined),
  ) as unknown as InvitedAgentProfile;
}
