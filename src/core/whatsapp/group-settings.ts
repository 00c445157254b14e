import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { contacts, type ContactRow } from '../contacts/contacts.tables.js';
import { recordGroupUpdate } from './apply-group-metadata.js';
import { groupRefOf, loadGroup, type GroupContext } from './group-context.js';
import { callProvider, type GroupSetting } from './whatsapp-provider.js';
import { whatsappGroupInviteRevoked } from './whatsapp.events.js';

/** Writes subject and attributes onto the group contact and records what changed. */
async function writeGroup(
  db: Db,
  context: GroupContext,
  patch: { name?: string; attributes?: Record<string, unknown> },
  actor: Actor,
): Promise<ContactRow> {
  return db.transaction(async (tx) => {
    const before = context.group;
    const [after] = await tx
      .update(contacts)
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        additionalAttributes: { ...before.additionalAttributes, ...patch.attributes },
        updatedAt: new Date(),
      })
      .where(and(eq(contacts.accountId, before.accountId), eq(contacts.id, before.id)))
      .returning();
    if (!after) throw new Error('group contact vanished during update');
    const group = after as typeof before;
    await recordGroupUpdate(tx, { inbox: context.inbox, before, after: group, origin: 'parley', actor });
    return group;
  });
}

/** Changes the subject and/or description at the provider, then on the group contact. */
export async function updateGroupMetadata(
  db: Db,
  input: {
    accountId: number;
    contactId: number;
    subject?: string | undefined;
    description?: string | undefined;
    actor: Actor;
  },
): Promise<ContactRow> {
  if (input.subject === undefined && input.description === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'Provide a subject or a description', [
      { path: 'subject', message: 'or description must be provided' },
    ]);
  }
  const context = await loadGroup(db, input.accountId, input.contactId);
  const { provider, instance, group } = context;
  const subject = input.subject;
  const description = input.description;
  if (subject !== undefined)
    await callProvider(() => provider.updateSubject(instance, group.groupJid, subject));
  if (description !== undefined) {
    await callProvider(() => provider.updateDescription(instance, group.groupJid, description));
  }
  return writeGroup(
    db,
    context,
    {
      ...(subject !== undefined && { name: subject }),
      attributes: description === undefined ? {} : { description },
    },
    input.actor,
  );
}

/** Turns one of the group's settings on or off (kept in the contact's attributes, as in the fork). */
export async function updateGroupSetting(
  db: Db,
  input: { accountId: number; contactId: number; setting: GroupSetting; enabled: boolean; actor: Actor },
): Promise<void> {
  const context = await loadGroup(db, input.accountId, input.contactId);
  await callProvider(() =>
    context.provider.updateSetting(context.instance, context.group.groupJid, input.setting, input.enabled),
  );
  await writeGroup(db, context, { attributes: { [input.setting]: input.enabled } }, input.actor);
}

/** The group's current invite code, as the provider has it. */
export async function getGroupInviteCode(db: Db, accountId: number, contactId: number): Promise<string> {
  const { provider, instance, group } = await loadGroup(db, accountId, contactId);
  return callProvider(() => provider.inviteCode(instance, group.groupJid));
}

/** Revokes the invite link; the old code stops working and a new one is returned. */
export async function revokeGroupInvite(
  db: Db,
  input: { accountId: number; contactId: number; actor: Actor },
): Promise<string> {
  const context = await loadGroup(db, input.accountId, input.contactId);
  const code = await callProvider(() =>
    context.provider.revokeInvite(context.instance, context.group.groupJid),
  );
  await db.transaction((tx) =>
    recordEvent(tx, whatsappGroupInviteRevoked, {
      accountId: input.accountId,
      aggregateId: context.group.id,
      payload: groupRefOf(context),
      actor: input.actor,
    }),
  );
  return code;
}
