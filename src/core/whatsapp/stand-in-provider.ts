import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import {
  whatsappStandInGroups,
  whatsappStandInMessages,
  whatsappStandInParticipants,
  type GroupMemberRole,
  type StandInGroupRow,
} from './whatsapp.tables.js';
import type {
  GroupSetting,
  ParticipantAction,
  ParticipantOutcome,
  ProviderGroupMetadata,
  WhatsappInstance,
  WhatsappProvider,
} from './whatsapp-provider.js';

export const STAND_IN_PROVIDER = 'stand_in';

function newInviteCode(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

/** Group JIDs look like Baileys' (`120363` + 12 digits + `@g.us`). */
function newGroupJid(): string {
  const digits = BigInt(`0x${randomBytes(6).toString('hex')}`)
    .toString()
    .padStart(12, '0')
    .slice(-12);
  return `120363${digits}@g.us`;
}

/** Message ids look like Baileys' own (`3EB0` + hex). */
function newMessageId(): string {
  return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
}

const refused = (message: string) => new DomainError('VALIDATION_FAILED', message);

const settingColumns = {
  announce: 'announce',
  restrict: 'restrict',
  join_approval_mode: 'joinApprovalMode',
  member_add_mode: 'memberAddMode',
} as const satisfies Record<GroupSetting, keyof StandInGroupRow>;

/**
 * A WhatsApp provider without a network: it keeps each instance's groups in PostgreSQL (so they
 * survive restarts), acknowledges every action, and answers the way Baileys does. What others do
 * in a group is played through `stand-in-simulator.ts`, which emits Baileys-style events.
 */
export function createStandInProvider(db: Db): WhatsappProvider {
  const scope = (instance: WhatsappInstance, jid: string) =>
    and(
      eq(whatsappStandInGroups.accountId, instance.accountId),
      eq(whatsappStandInGroups.inboxId, instance.inboxId),
      eq(whatsappStandInGroups.jid, jid),
    );
  const participantScope = (instance: WhatsappInstance, groupJid: string) =>
    and(
      eq(whatsappStandInParticipants.accountId, instance.accountId),
      eq(whatsappStandInParticipants.inboxId, instance.inboxId),
      eq(whatsappStandInParticipants.groupJid, groupJid),
    );

  async function group(instance: WhatsappInstance, jid: string): Promise<StandInGroupRow> {
    const [row] = await db.select().from(whatsappStandInGroups).where(scope(instance, jid));
    if (!row) throw new Error(`the provider knows no group ${jid}`);
    return row;
  }

  async function upsertParticipants(
    instance: WhatsappInstance,
    groupJid: string,
    rows: { jid: string; role?: GroupMemberRole; state: 'active' | 'left' | 'requested' }[],
  ): Promise<void> {
    for (const row of rows) {
      await db
        .insert(whatsappStandInParticipants)
        .values({ accountId: instance.accountId, inboxId: instance.inboxId, groupJid, ...row })
        .onConflictDoUpdate({
          target: [
            whatsappStandInParticipants.accountId,
            whatsappStandInParticipants.inboxId,
            whatsappStandInParticipants.groupJid,
            whatsappStandInParticipants.jid,
          ],
          set: { state: row.state, ...(row.role && { role: row.role }), updatedAt: new Date() },
        });
    }
  }

  async function metadata(instance: WhatsappInstance, jid: string): Promise<ProviderGroupMetadata> {
    const row = await group(instance, jid);
    const participants = await db
      .select()
      .from(whatsappStandInParticipants)
      .where(and(participantScope(instance, jid), eq(whatsappStandInParticipants.state, 'active')))
      .orderBy(asc(whatsappStandInParticipants.createdAt), asc(whatsappStandInParticipants.jid));
    return {
      jid: row.jid,
      subject: row.subject,
      description: row.description,
      pictureUrl: row.pictureUrl,
      ownerJid: row.ownerJid,
      participants: participants.map((p) => ({ jid: p.jid, role: p.role })),
      settings: {
        announce: row.announce,
        restrict: row.restrict,
        join_approval_mode: row.joinApprovalMode,
        member_add_mode: row.memberAddMode,
      },
    };
  }

  async function touch(instance: WhatsappInstance, jid: string, set: Partial<StandInGroupRow>) {
    await group(instance, jid);
    await db
      .update(whatsappStandInGroups)
      .set({ ...set, updatedAt: new Date() })
      .where(scope(instance, jid));
  }

  /** WhatsApp's rules for writing in a group: be in it, and be an admin when only admins may write. */
  async function assertMayWrite(instance: WhatsappInstance, ownJid: string, groupJid: string) {
    const [row] = await db.select().from(whatsappStandInGroups).where(scope(instance, groupJid));
    if (!row) throw refused(`the provider knows no group ${groupJid}`);
    const [self] = await db
      .select()
      .from(whatsappStandInParticipants)
      .where(and(participantScope(instance, groupJid), eq(whatsappStandInParticipants.jid, ownJid)));
    if (self?.state !== 'active') throw refused(`${ownJid} is not a participant of ${groupJid}`);
    if (row.announce && self.role === 'member') {
      throw refused(`only admins may send messages to ${groupJid}`);
    }
  }

  return {
    name: STAND_IN_PROVIDER,
    async sendMessage(instance, jid, content, options = {}) {
      if (!instance.ownJid) throw refused('the inbox has no phone number to send from');
      if (jid.endsWith('@g.us')) await assertMayWrite(instance, instance.ownJid, jid);
      else if (!/^\d+@s\.whatsapp\.net$/.test(jid)) throw refused(`${jid} is not a WhatsApp user or group`);
      const id = options.messageId ?? newMessageId();
      // Sent again under the same id, it is the same message: WhatsApp delivers it once (counted here).
      await db
        .insert(whatsappStandInMessages)
        .values({
          accountId: instance.accountId,
          inboxId: instance.inboxId,
          id,
          remoteJid: jid,
          text: content.text,
        })
        .onConflictDoUpdate({
          target: [
            whatsappStandInMessages.accountId,
            whatsappStandInMessages.inboxId,
            whatsappStandInMessages.id,
          ],
          set: { sendCount: sql`${whatsappStandInMessages.sendCount} + 1` },
        });
      return id;
    },
    async createGroup(instance, input) {
      if (!instance.ownJid) throw new Error('the inbox has no phone number to create groups with');
      const jid = newGroupJid();
      await db.insert(whatsappStandInGroups).values({
        accountId: instance.accountId,
        inboxId: instance.inboxId,
        jid,
        subject: input.subject,
        ownerJid: instance.ownJid,
        inviteCode: newInviteCode(),
      });
      await upsertParticipants(instance, jid, [
        { jid: instance.ownJid, role: 'superadmin', state: 'active' },
        ...input.participantJids
          .filter((participant) => participant !== instance.ownJid)
          .map((participant) => ({ jid: participant, role: 'member' as const, state: 'active' as const })),
      ]);
      return metadata(instance, jid);
    },
    groupMetadata: metadata,
    async updateParticipants(instance, groupJid, jids, action) {
      await group(instance, groupJid);
      const outcomes: ParticipantOutcome[] = [];
      for (const jid of jids) {
        outcomes.push(await applyAction(instance, groupJid, jid, action));
      }
      return outcomes;
    },
    async updateSubject(instance, groupJid, subject) {
      await touch(instance, groupJid, { subject });
    },
    async updateDescription(instance, groupJid, description) {
      await touch(instance, groupJid, { description });
    },
    async inviteCode(instance, groupJid) {
      return (await group(instance, groupJid)).inviteCode;
    },
    async revokeInvite(instance, groupJid) {
      const inviteCode = newInviteCode();
      await touch(instance, groupJid, { inviteCode });
      return inviteCode;
    },
    async joinRequests(instance, groupJid) {
      await group(instance, groupJid);
      const rows = await db
        .select()
        .from(whatsappStandInParticipants)
        .where(and(participantScope(instance, groupJid), eq(whatsappStandInParticipants.state, 'requested')))
        .orderBy(asc(whatsappStandInParticipants.updatedAt), asc(whatsappStandInParticipants.jid));
      return rows.map((row) => ({ jid: row.jid, requestMethod: 'invite_link', requestedAt: row.updatedAt }));
    },
    async handleJoinRequests(instance, groupJid, jids, action) {
      await group(instance, groupJid);
      const pending = await db
        .select({ jid: whatsappStandInParticipants.jid })
        .from(whatsappStandInParticipants)
        .where(
          and(
            participantScope(instance, groupJid),
            eq(whatsappStandInParticipants.state, 'requested'),
            inArray(whatsappStandInParticipants.jid, jids),
          ),
        );
      const found = new Set(pending.map((row) => row.jid));
      // Baileys answers 404 for a participant who has no pending request.
      const outcomes = jids.map((jid) => ({ jid, status: found.has(jid) ? '200' : '404' }));
      const handled = jids.filter((jid) => found.has(jid));
      await upsertParticipants(
        instance,
        groupJid,
        handled.map((jid) => ({ jid, role: 'member', state: action === 'approve' ? 'active' : 'left' })),
      );
      return outcomes;
    },
    async updateSetting(instance, groupJid, setting, enabled) {
      const patch: Partial<StandInGroupRow> = {};
      patch[settingColumns[setting]] = enabled;
      await touch(instance, groupJid, patch);
    },
    async leave(instance, groupJid) {
      await group(instance, groupJid);
      if (instance.ownJid) {
        await upsertParticipants(instance, groupJid, [{ jid: instance.ownJid, state: 'left' }]);
      }
    },
  };

  async function applyAction(
    instance: WhatsappInstance,
    groupJid: string,
    jid: string,
    action: ParticipantAction,
  ): Promise<ParticipantOutcome> {
    const [current] = await db
      .select()
      .from(whatsappStandInParticipants)
      .where(and(participantScope(instance, groupJid), eq(whatsappStandInParticipants.jid, jid)));
    const isActive = current?.state === 'active';
    if (action === 'add') {
      if (isActive) return { jid, status: '409' };
      await upsertParticipants(instance, groupJid, [{ jid, role: 'member', state: 'active' }]);
      return { jid, status: '200' };
    }
    if (!isActive) return { jid, status: '404' };
    // Nobody can demote or remove the group's creator.
    if (current.role === 'superadmin') return { jid, status: '403' };
    if (action === 'remove') {
      await upsertParticipants(instance, groupJid, [{ jid, state: 'left' }]);
    } else {
      const role = action === 'promote' ? 'admin' : 'member';
      await upsertParticipants(instance, groupJid, [{ jid, role, state: 'active' }]);
    }
    return { jid, status: '200' };
  }
}
