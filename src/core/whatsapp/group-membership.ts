import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import type { ContactRow } from '../contacts/contacts.tables.js';
import { whatsappGroupMembers, type GroupMemberRole, type GroupMemberRow } from './whatsapp.tables.js';
import { whatsappGroupMembersChanged, type GroupMemberSnapshot } from './whatsapp.events.js';
import type { ParticipantAction } from './whatsapp-provider.js';

export interface MembershipChange {
  contactId: number;
  isActive: boolean;
  /** Kept as stored when omitted (a member who leaves keeps the role they had). */
  role?: GroupMemberRole;
}

/**
 * Writes members' state, one row per (group, contact): joining again reactivates the old row, so a
 * member's id is stable. Returns only the rows that actually changed.
 */
export async function applyMembership(
  tx: Db,
  input: { accountId: number; groupContactId: number; changes: MembershipChange[] },
): Promise<GroupMemberRow[]> {
  if (input.changes.length === 0) return [];
  const existing = await tx
    .select()
    .from(whatsappGroupMembers)
    .where(
      and(
        eq(whatsappGroupMembers.accountId, input.accountId),
        eq(whatsappGroupMembers.groupContactId, input.groupContactId),
        inArray(
          whatsappGroupMembers.contactId,
          input.changes.map((change) => change.contactId),
        ),
      ),
    );
  const byContact = new Map(existing.map((row) => [row.contactId, row]));
  const changed: GroupMemberRow[] = [];
  const now = new Date();
  for (const change of input.changes) {
    const current = byContact.get(change.contactId);
    if (!current) {
      const [row] = await tx
        .insert(whatsappGroupMembers)
        .values({
          accountId: input.accountId,
          groupContactId: input.groupContactId,
          contactId: change.contactId,
          role: change.role ?? 'member',
          isActive: change.isActive,
          leftAt: change.isActive ? null : now,
        })
        .returning();
      if (row) changed.push(row);
      continue;
    }
    const role = change.role ?? current.role;
    if (current.isActive === change.isActive && current.role === role) continue;
    const [row] = await tx
      .update(whatsappGroupMembers)
      .set({
        role,
        isActive: change.isActive,
        ...(change.isActive && !current.isActive && { joinedAt: now, leftAt: null }),
        ...(!change.isActive && current.isActive && { leftAt: now }),
        updatedAt: now,
      })
      .where(
        and(eq(whatsappGroupMembers.accountId, input.accountId), eq(whatsappGroupMembers.id, current.id)),
      )
      .returning();
    if (row) changed.push(row);
  }
  return changed;
}

export function memberSnapshotOf(row: GroupMemberRow): GroupMemberSnapshot {
  return { memberId: row.id, contactId: row.contactId, role: row.role, isActive: row.isActive };
}

/** Records one members_changed event for the rows that changed (none: nothing is recorded). */
export async function recordMembersChanged(
  tx: Db,
  input: {
    group: ContactRow & { groupJid: string };
    inboxId: number;
    action: ParticipantAction;
    origin: 'parley' | 'provider';
    rows: GroupMemberRow[];
    actor: Actor;
  },
): Promise<void> {
  if (input.rows.length === 0) return;
  await recordEvent(tx, whatsappGroupMembersChanged, {
    accountId: input.group.accountId,
    aggregateId: input.group.id,
    payload: {
      groupContactId: input.group.id,
      inboxId: input.inboxId,
      groupJid: input.group.groupJid,
      action: input.action,
      origin: input.origin,
      members: input.rows.map(memberSnapshotOf),
    },
    actor: input.actor,
  });
}

/** The member row by id within one group, or null. */
export async function findGroupMember(
  db: Db,
  accountId: number,
  groupContactId: number,
  memberId: number,
): Promise<GroupMemberRow | null> {
  const [row] = await db
    .select()
    .from(whatsappGroupMembers)
    .where(
      and(
        eq(whatsappGroupMembers.accountId, accountId),
        eq(whatsappGroupMembers.groupContactId, groupContactId),
        eq(whatsappGroupMembers.id, memberId),
      ),
    );
  return row ?? null;
}
