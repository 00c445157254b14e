import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { createContact, findContact, findContactBy } from '../contacts/contacts.js';
import { normalizeEmail, normalizePhoneNumber } from '../contacts/contact-fields.js';
import { callTags } from './calls.tables.js';

/** A contact named on upload: an existing contact id, an email or phone number, or a CRM person. */
export type CallContactRef =
  | number
  | string
  | {
      crm: string;
      crmId: string;
      email?: string | undefined;
      phoneNumber?: string | undefined;
      name?: string | undefined;
    };

/** A user named on upload: a member's id or email. */
export type CallUserRef = number | string;

/** A tag named on upload: a provider's tag (created or updated by its id) or an existing tag. */
export type CallTagRef =
  { name: string; providerTagId: string; color?: string | undefined } | { tagId: number };

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${path} ${message}`, [{ path, message }]);
}

function normalized<T>(path: string, normalize: () => T): T {
  try {
    return normalize();
  } catch (error) {
    if (error instanceof DomainError) throw invalid(path, error.details[0]?.message ?? error.message);
    throw error;
  }
}

/** Finds or creates each contact; unknown ids are the caller's mistake, not a new contact. */
export async function resolveCallContacts(
  tx: Db,
  accountId: number,
  refs: readonly CallContactRef[],
  actor: Actor,
): Promise<number[]> {
  const ids: number[] = [];
  for (const [index, ref] of refs.entries()) {
    const path = `contacts.${index}`;
    if (typeof ref === 'number') {
      const found = await findContact(tx, accountId, ref);
      if (!found) throw invalid(path, `contact ${ref} does not exist`);
      ids.push(found.id);
      continue;
    }
    if (typeof ref === 'string') {
      const isEmail = ref.includes('@');
      const email = isEmail ? normalized(path, () => normalizeEmail(ref)) : null;
      const phoneNumber = isEmail ? null : normalized(path, () => normalizePhoneNumber(ref));
      const found = await findContactBy(tx, accountId, { email, phoneNumber });
      const row = found ?? (await createContact(tx, { accountId, email, phoneNumber, name: ref, actor }));
      ids.push(row.id);
      continue;
    }
    const email = normalized(`${path}.email`, () => normalizeEmail(ref.email));
    const phoneNumber = normalized(`${path}.phoneNumber`, () => normalizePhoneNumber(ref.phoneNumber));
    const found = await findContactBy(tx, accountId, { identifier: ref.crmId, email, phoneNumber });
    const row =
      found ??
      (await createContact(tx, {
        accountId,
        identifier: ref.crmId,
        email,
        phoneNumber,
        name: ref.name ?? email ?? phoneNumber ?? ref.crmId,
        additionalAttributes: { crm: ref.crm },
        actor,
      }));
    ids.push(row.id);
  }
  return [...new Set(ids)];
}

/** The member a call belongs to; a user outside the account is refused like an unknown one. */
export async function resolveCallUser(tx: Db, accountId: number, ref: CallUserRef): Promise<number> {
  const [member] = await tx
    .select({ id: users.id })
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(
      and(
        eq(accountUsers.accountId, accountId),
        typeof ref === 'number'
          ? eq(users.id, ref)
          : sql`lower(${users.email}) = ${ref.trim().toLowerCase()}`,
      ),
    )
    .limit(1);
  if (!member) throw invalid('users.0', `user ${String(ref)} is not a member of this account`);
  return member.id;
}

/** Upserts provider tags by their id (a new name or colour applies to every call) and checks tag ids. */
export async function resolveCallTags(
  tx: Db,
  accountId: number,
  refs: readonly CallTagRef[],
): Promise<number[]> {
  const existingIds = refs.flatMap((ref) => ('tagId' in ref ? [ref.tagId] : []));
  if (existingIds.length > 0) {
    const found = await tx
      .select({ id: callTags.id })
      .from(callTags)
      .where(and(eq(callTags.accountId, accountId), inArray(callTags.id, existingIds)));
    const known = new Set(found.map((row) => row.id));
    const missing = existingIds.find((id) => !known.has(id));
    if (missing !== undefined) throw invalid('tags', `tag ${missing} does not exist`);
  }
  const ids: number[] = [];
  for (const ref of refs) {
    if ('tagId' in ref) {
      ids.push(ref.tagId);
      continue;
    }
    const color = (ref.color ?? '4CD598').toUpperCase();
    const [row] = await tx
      .insert(callTags)
      .values({ accountId, name: ref.name, color, providerTagId: ref.providerTagId })
      .onConflictDoUpdate({
        target: [callTags.accountId, callTags.providerTagId],
        targetWhere: sql`${callTags.providerTagId} IS NOT NULL`,
        set: { name: ref.name, color, updatedAt: sql`now()` },
      })
      .returning({ id: callTags.id });
    if (row) ids.push(row.id);
  }
  return [...new Set(ids)];
}
