import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { contacts } from '../contacts/contacts.tables.js';
import { loadGroup } from './group-context.js';
import { phoneOfJid } from './member-contacts.js';
import { whatsappGroupMembers, type GroupMemberRow } from './whatsapp.tables.js';

export interface GroupMemberView {
  member: GroupMemberRow;
  contact: {
    id: number;
    name: string;
    phoneNumber: string | null;
    identifier: string | null;
    avatarUrl: string | null;
  };
}

export interface GroupMembersPage {
  members: GroupMemberView[];
  totalCount: number;
  /** The inbox's own number (E.164), for clients that mark "you" in the list. */
  inboxPhoneNumber: string | null;
}

/**
 * A page of a group's active members: the inbox's own number first (so it is on page one), then
 * the creator and admins, then members, each in the order they were recorded. One query for the
 * page (members joined with their contacts) and one for the total.
 */
export async function listGroupMembers(
  db: Db,
  input: { accountId: number; contactId: number; page: number; perPage: number },
): Promise<GroupMembersPage> {
  const { group, instance } = await loadGroup(db, input.accountId, input.contactId);
  const inboxPhoneNumber = instance.ownJid ? phoneOfJid(instance.ownJid) : null;
  const scope = and(
    eq(whatsappGroupMembers.accountId, input.accountId),
    eq(whatsappGroupMembers.groupContactId, group.id),
    eq(whatsappGroupMembers.isActive, true),
  );
  const isSelf = inboxPhoneNumber
    ? sql`CASE WHEN ${contacts.phoneNumber} = ${inboxPhoneNumber} THEN 0 ELSE 1 END`
    : sql`1`;
  const roleRank = sql`CASE ${whatsappGroupMembers.role} WHEN 'superadmin' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`;
  const [rows, totals] = await Promise.all([
    db
      .select({
        member: whatsappGroupMembers,
        contact: {
          id: contacts.id,
          name: contacts.name,
          phoneNumber: contacts.phoneNumber,
          identifier: contacts.identifier,
          avatarUrl: contacts.avatarUrl,
        },
      })
      .from(whatsappGroupMembers)
      .innerJoin(
        contacts,
        and(
          eq(contacts.accountId, whatsappGroupMembers.accountId),
          eq(contacts.id, whatsappGroupMembers.contactId),
        ),
      )
      .where(scope)
      .orderBy(isSelf, roleRank, asc(whatsappGroupMembers.id))
      .limit(input.perPage)
      .offset((input.page - 1) * input.perPage),
    db.select({ total: count() }).from(whatsappGroupMembers).where(scope),
  ]);
  return { members: rows, totalCount: totals[0]?.total ?? 0, inboxPhoneNumber };
}

/** Every active member of a group with its contact (sync's answer), in list order. */
export async function listAllGroupMembers(
  db: Db,
  input: { accountId: number; contactId: number },
): Promise<GroupMemberView[]> {
  const page = await listGroupMembers(db, { ...input, page: 1, perPage: 10_000 });
  return page.members;
}
