import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { hashSecret } from '../../platform/auth/secrets.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { accountUsers, users, type Availability, type Role } from './identity.tables.js';
import { accountInvitations, type InvitationRow } from './invitations.tables.js';
import { invitationCreated, invitationRevoked } from './invitations.events.js';

/** How long an invitation can be accepted; long enough for a weekend, short enough to go stale. */
export const INVITATION_TTL_DAYS = 7;

/** Stored statuses plus `expired`: a pending invitation past its expiry. */
export type InvitationState = InvitationRow['status'] | 'expired';

/** An invitation as the inviting account sees it: what it typed, never who owns the email. */
export interface InvitationView {
  id: number;
  accountId: number;
  email: string;
  name: string | null;
  role: Role;
  availability: Availability;
  autoOffline: boolean;
  status: InvitationState;
  expiresAt: Date;
  respondedAt: Date | null;
  createdAt: Date;
}

export function toInvitationView(row: InvitationRow): InvitationView {
  const isExpired = row.status === 'pending' && row.expiresAt.getTime() <= Date.now();
  return {
    id: row.id,
    accountId: row.accountId,
    email: row.email,
    name: row.name,
    role: row.role,
    availability: row.availability,
    autoOffline: row.autoOffline,
    status: isExpired ? 'expired' : row.status,
    expiresAt: row.expiresAt,
    respondedAt: row.respondedAt,
    createdAt: row.createdAt,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function payloadOf(row: InvitationRow) {
  return { id: row.id, email: row.email, role: row.role };
}

export interface CreateInvitationInput {
  accountId: number;
  email: string;
  role: Role;
  name?: string | undefined;
  availability?: Availability | undefined;
  autoOffline?: boolean | undefined;
}

/**
 * Invites an email. The answer never depends on whether a user has that email: no user is looked
 * up or created here. Inviting an email with a pending invitation refreshes it (new token, new
 * expiry), so a lost token can be replaced. Only the token's hash is stored.
 */
export async function createInvitation(
  db: Db,
  input: CreateInvitationInput,
  actor: Actor,
): Promise<{ invitation: InvitationView; token: string }> {
  const email = normalizeEmail(input.email);
  const token = `inv_${randomBytes(32).toString('base64url')}`;
  const values = {
    name: input.name ?? null,
    role: input.role,
    availability: input.availability ?? 'offline',
    autoOffline: input.autoOffline ?? true,
    tokenHash: hashSecret(token),
    expiresAt: sql`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
  };
  const row = await db.transaction(async (tx) => {
    await assertNotMember(tx, input.accountId, email);
    const [saved] = await tx
      .insert(accountInvitations)
      .values({ accountId: input.accountId, email, ...values })
      .onConflictDoUpdate({
        target: [accountInvitations.accountId, accountInvitations.email],
        targetWhere: sql`status = 'pending'`,
        // A refresh keeps what an earlier invitation said and this one leaves out.
        set: {
          role: input.role,
          tokenHash: values.tokenHash,
          expiresAt: values.expiresAt,
          ...(input.name !== undefined && { name: input.name }),
          ...(input.availability !== undefined && { availability: input.availability }),
          ...(input.autoOffline !== undefined && { autoOffline: input.autoOffline }),
          createdAt: sql`now()`,
          updatedAt: sql`now()`,
        },
      })
      .returning();
    if (!saved) throw new Error('insert returned no invitation');
    await recordEvent(tx, invitationCreated, {
      accountId: saved.accountId,
      aggregateId: saved.id,
      payload: payloadOf(saved),
      actor,
    });
    return saved;
  });
  return { invitation: toInvitationView(row), token };
}

/** The members are the account's own business, so saying one already has this email leaks nothing. */
async function assertNotMember(db: Db, accountId: number, email: string): Promise<void> {
  const [member] = await db
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(and(eq(accountUsers.accountId, accountId), sql`lower(${users.email}) = ${email}`));
  if (member) {
    throw new DomainError('VALIDATION_FAILED', 'A member of this account already has this email', [
      { path: 'email', message: 'has already been taken' },
    ]);
  }
}

function stateFilter(state: InvitationState | undefined): SQL | undefined {
  if (state === undefined) return undefined;
  if (state === 'pending') {
    return and(eq(accountInvitations.status, 'pending'), gt(accountInvitations.expiresAt, sql`now()`));
  }
  if (state === 'expired') {
    return and(eq(accountInvitations.status, 'pending'), lte(accountInvitations.expiresAt, sql`now()`));
  }
  return eq(accountInvitations.status, state);
}

/** The account's invitations, newest first. */
export async function listInvitations(
  db: Db,
  options: {
    accountId: number;
    state?: InvitationState | undefined;
    beforeId?: number | undefined;
    limit: number;
  },
): Promise<Page<InvitationView>> {
  const rows = await db
    .select()
    .from(accountInvitations)
    .where(
      and(
        eq(accountInvitations.accountId, options.accountId),
        stateFilter(options.state),
        options.beforeId === undefined ? undefined : lt(accountInvitations.id, options.beforeId),
      ),
    )
    .orderBy(desc(accountInvitations.id))
    .limit(options.limit + 1);
  return toPage(rows.map(toInvitationView), options.limit, (row) => row.id);
}

export async function findInvitation(db: Db, accountId: number, id: number): Promise<InvitationView | null> {
  const [row] = await db
    .select()
    .from(accountInvitations)
    .where(and(eq(accountInvitations.accountId, accountId), eq(accountInvitations.id, id)));
  return row ? toInvitationView(row) : null;
}

export async function getInvitation(db: Db, accountId: number, id: number): Promise<InvitationView> {
  const invitation = await findInvitation(db, accountId, id);
  if (!invitation) throw notFound('Invitation');
  return invitation;
}

/** Changes what a pending invitation will grant (Chatwoot's agent update on an unconfirmed agent). */
export async function updateInvitation(
  db: Db,
  input: {
    accountId: number;
    id: number;
    role?: Role | undefined;
    availability?: Availability | undefined;
    autoOffline?: boolean | undefined;
  },
): Promise<InvitationView> {
  const [row] = await db
    .update(accountInvitations)
    .set({
      ...(input.role !== undefined && { role: input.role }),
      ...(input.availability !== undefined && { availability: input.availability }),
      ...(input.autoOffline !== undefined && { autoOffline: input.autoOffline }),
      updatedAt: sql`now()`,
    })
    .where(pendingInvitation(input.accountId, input.id))
    .returning();
  if (!row) throw notFound('Invitation');
  return toInvitationView(row);
}

/** Withdraws a pending invitation; its token stops working at once. */
export async function revokeInvitation(db: Db, accountId: number, id: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(accountInvitations)
      .set({ status: 'revoked', respondedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(
          eq(accountInvitations.accountId, accountId),
          eq(accountInvitations.id, id),
          eq(accountInvitations.status, 'pending'),
        ),
      )
      .returning();
    if (!row) {
      await getInvitation(tx, accountId, id);
      throw new DomainError('INVALID_STATE', 'Only a pending invitation can be revoked');
    }
    await recordEvent(tx, invitationRevoked, { accountId, aggregateId: id, payload: payloadOf(row), actor });
  });
}

/** A pending, unexpired invitation of the account. */
export function pendingInvitation(accountId: number, id: number): SQL | undefined {
  return and(
    eq(accountInvitations.accountId, accountId),
    eq(accountInvitations.id, id),
    eq(accountInvitations.status, 'pending'),
    gt(accountInvitations.expiresAt, sql`now()`),
  );
}
