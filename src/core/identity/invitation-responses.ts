import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { hashSecret } from '../../platform/auth/secrets.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { memberAdded } from './identity.events.js';
import { accounts, accountUsers, users, type Role } from './identity.tables.js';
import { accountInvitations, type InvitationRow } from './invitations.tables.js';
import { invitationAccepted, invitationDeclined } from './invitations.events.js';
import { payloadOf, toInvitationView } from './invitations.js';
import { getMember, type Member } from './members.js';
import { createUser, findUserByEmail } from './users.js';
import { createAccessToken } from './access-tokens.js';

/** A pending invitation as its addressee sees it. */
export interface ReceivedInvitation {
  id: number;
  accountId: number;
  accountName: string;
  role: Role;
  expiresAt: Date;
  createdAt: Date;
}

/** The email of the user, compared the way invitations store it. */
const emailOf = (userId: number) =>
  sql`(SELECT lower(trim(${users.email})) FROM ${users} WHERE ${users.id} = ${userId})`;

/** The pending, unexpired invitations addressed to the user's email. */
export async function listInvitationsForUser(db: Db, userId: number): Promise<ReceivedInvitation[]> {
  return db
    .select({
      id: accountInvitations.id,
      accountId: accountInvitations.accountId,
      accountName: accounts.name,
      role: accountInvitations.role,
      expiresAt: accountInvitations.expiresAt,
      createdAt: accountInvitations.createdAt,
    })
    .from(accountInvitations)
    .innerJoin(accounts, eq(accounts.id, accountInvitations.accountId))
    .where(
      and(
        eq(accountInvitations.email, emailOf(userId)),
        eq(accountInvitations.status, 'pending'),
        gt(accountInvitations.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(accountInvitations.id))
    .limit(200);
}

/**
 * Settles one of the user's invitations. The status changes in the statement that checks it is
 * pending, unexpired and addressed to this user, so a token or invitation is used at most once.
 */
async function claimForUser(
  tx: Db,
  input: { userId: number; id: number; status: 'accepted' | 'declined' },
): Promise<InvitationRow> {
  const [row] = await tx
    .update(accountInvitations)
    .set({
      status: input.status,
      respondedAt: sql`now()`,
      updatedAt: sql`now()`,
      ...(input.status === 'accepted' && { acceptedUserId: input.userId }),
    })
    .where(
      and(
        eq(accountInvitations.id, input.id),
        eq(accountInvitations.email, emailOf(input.userId)),
        eq(accountInvitations.status, 'pending'),
        gt(accountInvitations.expiresAt, sql`now()`),
      ),
    )
    .returning();
  if (row) return row;
  const [mine] = await tx
    .select()
    .from(accountInvitations)
    .where(and(eq(accountInvitations.id, input.id), eq(accountInvitations.email, emailOf(input.userId))));
  // Someone else's invitation is not found: its existence is none of this user's business.
  if (!mine) throw notFound('Invitation');
  throw new DomainError('INVALID_STATE', `This invitation is ${toInvitationView(mine).status}`);
}

/** Makes the user a member with what the invitation grants; already being one is fine. */
async function join(tx: Db, invitation: InvitationRow, userId: number, actor: Actor): Promise<void> {
  const [membership] = await tx
    .insert(accountUsers)
    .values({
      accountId: invitation.accountId,
      userId,
      role: invitation.role,
      availability: invitation.availability,
      autoOffline: invitation.autoOffline,
    })
    .onConflictDoNothing()
    .returning();
  if (membership) {
    await recordEvent(tx, memberAdded, {
      accountId: membership.accountId,
      aggregateId: `${membership.accountId}:${userId}`,
      payload: {
        accountId: membership.accountId,
        userId,
        role: membership.role,
        availability: membership.availability,
      },
      actor,
    });
  }
  await recordEvent(tx, invitationAccepted, {
    accountId: invitation.accountId,
    aggregateId: invitation.id,
    payload: { ...payloadOf(invitation), userId },
    actor,
  });
}

/** The signed-in user accepts an invitation addressed to their email. */
export async function acceptInvitation(
  db: Db,
  input: { userId: number; id: number },
  actor: Actor,
): Promise<Member> {
  const invitation = await db.transaction(async (tx) => {
    const row = await claimForUser(tx, { ...input, status: 'accepted' });
    await join(tx, row, input.userId, actor);
    return row;
  });
  return getMember(db, invitation.accountId, input.userId);
}

export async function declineInvitation(
  db: Db,
  input: { userId: number; id: number },
  actor: Actor,
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await claimForUser(tx, { ...input, status: 'declined' });
    await recordEvent(tx, invitationDeclined, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: payloadOf(row),
      actor,
    });
  });
}

/** The pending, unexpired invitation a token opens. */
function openedBy(token: string) {
  return and(
    eq(accountInvitations.tokenHash, hashSecret(token)),
    eq(accountInvitations.status, 'pending'),
    gt(accountInvitations.expiresAt, sql`now()`),
  );
}

/** Whether a token opens a pending invitation: checked before the slow password hash is paid for. */
export async function isAcceptableToken(db: Db, token: string): Promise<boolean> {
  const [row] = await db
    .select({ id: accountInvitations.id })
    .from(accountInvitations)
    .where(openedBy(token));
  return row !== undefined;
}

/**
 * Someone without a Parley user accepts with the invitation's token and becomes a user with its
 * email. An email that already has a user must accept signed in as that user instead: nobody can
 * take over or enrol an existing user with a token alone.
 */
export async function acceptInvitationAsNewUser(
  db: Db,
  input: { token: string; name?: string | undefined; passwordHash: string },
): Promise<{ member: Member; token: string }> {
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .select()
      .from(accountInvitations)
      .where(openedBy(input.token))
      .for('update');
    if (!invitation) throw new DomainError('UNAUTHENTICATED', 'Invalid or expired invitation');
    if (await findUserByEmail(tx, invitation.email)) {
      throw new DomainError(
        'CONFLICT',
        'This email already has a Parley user: sign in as that user and accept the invitation (GET /api/v1/invitations)',
      );
    }
    const name = input.name ?? invitation.name ?? invitation.email.split('@')[0] ?? invitation.email;
    const user = await createUser(tx, { name, email: invitation.email, passwordHash: input.passwordHash });
    await tx
      .update(accountInvitations)
      .set({ status: 'accepted', acceptedUserId: user.id, respondedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(eq(accountInvitations.accountId, invitation.accountId), eq(accountInvitations.id, invitation.id)),
      );
    const actor: Actor = { type: 'user', id: user.id };
    await join(tx, invitation, user.id, actor);
    const { token } = await createAccessToken(tx, { userId: user.id, name: 'invitation' });
    return { member: await getMember(tx, invitation.accountId, user.id), token };
  });
}
