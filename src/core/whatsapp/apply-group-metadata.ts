import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { ensureContactInbox } from '../contacts/contact-inboxes.js';
import { contactCreated } from '../contacts/contacts.events.js';
import { recordContactUpdate, toContactSnapshot } from '../contacts/contacts.js';
import { contacts, type ContactRow } from '../contacts/contacts.tables.js';
import type { InboxRow } from '../inboxes/inboxes.tables.js';
import { findGroupByJid } from './group-context.js';
import { applyMembership, recordMembersChanged, type MembershipChange } from './group-membership.js';
import { ensureMemberContact } from './member-contacts.js';
import { whatsappGroupMembers, type GroupMemberRow } from './whatsapp.tables.js';
import { whatsappGroupCreated, whatsappGroupSynced, whatsappGroupUpdated } from './whatsapp.events.js';
import type { ParticipantAction, ProviderGroupMetadata } from './whatsapp-provider.js';

type GroupContact = ContactRow & { groupJid: string };

/** The group's description and settings live in the contact's additional attributes, as in the fork. */
function groupAttributes(metadata: ProviderGroupMetadata): Record<string, unknown> {
  return { description: metadata.description ?? '', ...metadata.settings };
}

/** The group contact for the JID, created (with its address in the inbox) the first time. */
async function ensureGroupContact(
  tx: Db,
  inbox: InboxRow,
  metadata: ProviderGroupMetadata,
  actor: Actor,
): Promise<{ group: GroupContact; isNew: boolean }> {
  const existing = await findGroupByJid(tx, inbox.accountId, metadata.jid);
  if (existing) return { group: existing, isNew: false };
  // A concurrent first sight of the same group wins; this one then reads it.
  const [inserted] = await tx
    .insert(contacts)
    .values({
      accountId: inbox.accountId,
      name: metadata.subject,
      // Chatwoot's fork keeps the group JID as the contact identifier; so do we, for its clients.
      identifier: metadata.jid,
      avatarUrl: metadata.pictureUrl,
      groupType: 'group',
      groupJid: metadata.jid,
      contactType: 'customer',
      additionalAttributes: groupAttributes(metadata),
    })
    .onConflictDoNothing()
    .returning();
  const group =
    (inserted as GroupContact | undefined) ?? (await findGroupByJid(tx, inbox.accountId, metadata.jid));
  if (!group) throw new Error('group contact vanished after insert');
  await ensureContactInbox(tx, {
    accountId: inbox.accountId,
    contactId: group.id,
    inboxId: inbox.id,
    sourceId: metadata.jid,
  });
  if (!inserted) return { group, isNew: false };
  await recordEvent(tx, contactCreated, {
    accountId: group.accountId,
    aggregateId: group.id,
    payload: { contact: toContactSnapshot(group) },
    actor,
  });
  await recordEvent(tx, whatsappGroupCreated, {
    accountId: group.accountId,
    aggregateId: group.id,
    payload: { groupContactId: group.id, inboxId: inbox.id, groupJid: group.groupJid, subject: group.name },
    actor,
  });
  return { group, isNew: true };
}

/** Subject, picture, description and settings from the provider onto the contact. */
async function updateGroupFields(
  tx: Db,
  inbox: InboxRow,
  group: GroupContact,
  metadata: ProviderGroupMetadata,
  origin: 'parley' | 'provider',
  actor: Actor,
): Promise<GroupContact> {
  const attributes = { ...group.additionalAttributes, ...groupAttributes(metadata) };
  const [after] = await tx
    .update(contacts)
    .set({
      name: metadata.subject,
      avatarUrl: metadata.pictureUrl ?? group.avatarUrl,
      additionalAttributes: attributes,
      updatedAt: new Date(),
    })
    .where(and(eq(contacts.accountId, group.accountId), eq(contacts.id, group.id)))
    .returning();
  if (!after) throw new Error('group contact vanished during update');
  await recordGroupUpdate(tx, { inbox, before: group, after: after as GroupContact, origin, actor });
  return after as GroupContact;
}

/** contact.updated plus whatsapp_group.updated, when something changed. */
export async function recordGroupUpdate(
  tx: Db,
  input: {
    inbox: InboxRow;
    before: GroupContact;
    after: GroupContact;
    origin: 'parley' | 'provider';
    actor: Actor;
  },
): Promise<void> {
  const { before, after } = input;
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (before.name !== after.name) changes.subject = { from: before.name, to: after.name };
  if (before.avatarUrl !== after.avatarUrl)
    changes.pictureUrl = { from: before.avatarUrl, to: after.avatarUrl };
  for (const [key, value] of Object.entries(after.additionalAttributes)) {
    if (JSON.stringify(before.additionalAttributes[key]) !== JSON.stringify(value)) {
      changes[key] = { from: before.additionalAttributes[key] ?? null, to: value };
    }
  }
  if (Object.keys(changes).length === 0) return;
  await recordContactUpdate(tx, before, after, input.actor);
  await recordEvent(tx, whatsappGroupUpdated, {
    accountId: after.accountId,
    aggregateId: after.id,
    payload: {
      groupContactId: after.id,
      inboxId: input.inbox.id,
      groupJid: after.groupJid,
      origin: input.origin,
      changes,
    },
    actor: input.actor,
  });
}

/**
 * Makes Parley's copy of a group match the provider's: the group contact (created on first sight),
 * its fields, and its members — participants active with their roles, everyone else inactive.
 * One event per kind of change, in the caller's transaction.
 */
export async function applyGroupMetadata(
  tx: Db,
  input: { inbox: InboxRow; metadata: ProviderGroupMetadata; origin: 'parley' | 'provider'; actor: Actor },
): Promise<GroupContact> {
  const { inbox, metadata, actor } = input;
  const ensured = await ensureGroupContact(tx, inbox, metadata, actor);
  const group = ensured.isNew
    ? ensured.group
    : await updateGroupFields(tx, inbox, ensured.group, metadata, input.origin, actor);
  const current = await tx
    .select()
    .from(whatsappGroupMembers)
    .where(
      and(
        eq(whatsappGroupMembers.accountId, inbox.accountId),
        eq(whatsappGroupMembers.groupContactId, group.id),
      ),
    );
  const byContact = new Map(current.map((row) => [row.contactId, row]));
  const present = new Set<number>();
  const joins: MembershipChange[] = [];
  const roleChanges: MembershipChange[] = [];
  for (const participant of metadata.participants) {
    const contact = await ensureMemberContact(tx, {
      accountId: inbox.accountId,
      jid: participant.jid,
      actor,
    });
    present.add(contact.id);
    const row = byContact.get(contact.id);
    const change = { contactId: contact.id, isActive: true, role: participant.role };
    if (!row?.isActive) joins.push(change);
    else if (row.role !== participant.role) roleChanges.push(change);
  }
  const departures = current
    .filter((row) => row.isActive && !present.has(row.contactId))
    .map((row) => ({ contactId: row.contactId, isActive: false }));
  const record = (action: ParticipantAction, rows: GroupMemberRow[]) =>
    recordMembersChanged(tx, { group, inboxId: inbox.id, action, origin: input.origin, rows, actor });
  const scope = { accountId: inbox.accountId, groupContactId: group.id };
  await record('add', await applyMembership(tx, { ...scope, changes: joins }));
  const promotions = roleChanges.filter((change) => change.role !== 'member');
  const demotions = roleChanges.filter((change) => change.role === 'member');
  await record('promote', await applyMembership(tx, { ...scope, changes: promotions }));
  await record('demote', await applyMembership(tx, { ...scope, changes: demotions }));
  await record('remove', await applyMembership(tx, { ...scope, changes: departures }));
  await recordEvent(tx, whatsappGroupSynced, {
    accountId: group.accountId,
    aggregateId: group.id,
    payload: {
      groupContactId: group.id,
      inboxId: inbox.id,
      groupJid: group.groupJid,
      activeMemberCount: present.size,
    },
    actor,
  });
  return group;
}
