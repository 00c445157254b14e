import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { receiveWhatsappEvent, type ReceiveWhatsappOutcome } from './receive-whatsapp-event.js';
import { userJidOf } from './whatsapp-provider.js';
import {
  whatsappStandInGroups,
  whatsappStandInMessages,
  whatsappStandInParticipants,
  type StandInGroupRow,
  type StandInMessageRow,
} from './whatsapp.tables.js';
import type { WhatsappInboundEvent } from './whatsapp-inbound.schema.js';

/** Which stand-in group: by JID in the account (and inbox, when one JID is in several). */
export interface StandInGroupRef {
  accountId: number;
  groupJid: string;
  inboxId?: number | undefined;
}

/** A person, by phone number (E.164 with or without +) or JID, with their WhatsApp display name. */
export interface StandInPerson {
  phone: string;
  name?: string | undefined;
}

async function standInGroup(db: Db, ref: StandInGroupRef): Promise<StandInGroupRow> {
  const [row] = await db
    .select()
    .from(whatsappStandInGroups)
    .where(
      and(
        eq(whatsappStandInGroups.accountId, ref.accountId),
        eq(whatsappStandInGroups.jid, ref.groupJid),
        ref.inboxId === undefined ? undefined : eq(whatsappStandInGroups.inboxId, ref.inboxId),
      ),
    )
    .orderBy(asc(whatsappStandInGroups.inboxId))
    .limit(1);
  if (!row) throw new DomainError('NOT_FOUND', `The stand-in provider has no group ${ref.groupJid}`);
  return row;
}

async function setParticipant(
  db: Db,
  group: StandInGroupRow,
  jid: string,
  state: 'active' | 'left' | 'requested',
): Promise<void> {
  await db
    .insert(whatsappStandInParticipants)
    .values({ accountId: group.accountId, inboxId: group.inboxId, groupJid: group.jid, jid, state })
    .onConflictDoUpdate({
      target: [
        whatsappStandInParticipants.accountId,
        whatsappStandInParticipants.inboxId,
        whatsappStandInParticipants.groupJid,
        whatsappStandInParticipants.jid,
      ],
      set: { state, updatedAt: new Date() },
    });
}

/** An inbound event without its addressing, which the group supplies. */
type EventBody = WhatsappInboundEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'accountId' | 'inboxId'>
    : never
  : never;

function deliver(db: Db, group: StandInGroupRow, event: EventBody): Promise<ReceiveWhatsappOutcome> {
  return receiveWhatsappEvent(db, {
    ...event,
    accountId: group.accountId,
    inboxId: group.inboxId,
  });
}

/**
 * Plays what other WhatsApp users do in the stand-in provider's groups: the provider's state
 * changes first (as on WhatsApp's servers), then the Baileys-style event it would send is
 * delivered to Parley's entry point, `receiveWhatsappEvent`.
 */
export const standInSimulator = {
  /** Someone joins (by the invite link, or added by another admin's phone). */
  async memberJoins(db: Db, ref: StandInGroupRef, person: StandInPerson): Promise<ReceiveWhatsappOutcome> {
    const group = await standInGroup(db, ref);
    const jid = userJidOf(person.phone);
    await setParticipant(db, group, jid, 'active');
    return deliver(db, group, {
      event: 'group-participants.update',
      data: {
        id: group.jid,
        participants: [jid],
        action: 'add',
        ...(person.name && { pushNames: { [jid]: person.name } }),
      },
    });
  },

  /** A member leaves the group. */
  async memberLeaves(db: Db, ref: StandInGroupRef, person: StandInPerson): Promise<ReceiveWhatsappOutcome> {
    const group = await standInGroup(db, ref);
    const jid = userJidOf(person.phone);
    await setParticipant(db, group, jid, 'left');
    return deliver(db, group, {
      event: 'group-participants.update',
      data: { id: group.jid, participants: [jid], action: 'remove' },
    });
  },

  /** Someone asks to join a group with join approval on; nothing reaches Parley until it is handled. */
  async requestsToJoin(db: Db, ref: StandInGroupRef, person: StandInPerson): Promise<void> {
    const group = await standInGroup(db, ref);
    await setParticipant(db, group, userJidOf(person.phone), 'requested');
  },

  /** A member writes in the group. Only a current participant can. */
  async groupMessage(
    db: Db,
    ref: StandInGroupRef,
    input: StandInPerson & { text: string; messageId?: string | undefined },
  ): Promise<ReceiveWhatsappOutcome> {
    const group = await standInGroup(db, ref);
    const jid = userJidOf(input.phone);
    const [participant] = await db
      .select({ state: whatsappStandInParticipants.state })
      .from(whatsappStandInParticipants)
      .where(
        and(
          eq(whatsappStandInParticipants.accountId, group.accountId),
          eq(whatsappStandInParticipants.inboxId, group.inboxId),
          eq(whatsappStandInParticipants.groupJid, group.jid),
          eq(whatsappStandInParticipants.jid, jid),
        ),
      );
    if (participant?.state !== 'active') {
      throw new DomainError('VALIDATION_FAILED', `${jid} is not a participant of ${group.jid}`);
    }
    return deliver(db, group, {
      event: 'messages.upsert',
      data: {
        key: {
          remoteJid: group.jid,
          id: input.messageId ?? randomBytes(10).toString('hex').toUpperCase(),
          participant: jid,
          fromMe: false,
        },
        ...(input.name && { pushName: input.name }),
        message: { conversation: input.text },
      },
    });
  },

  /** What the instances of an account (or one inbox) sent, to one chat or all, oldest first. */
  async sentMessages(
    db: Db,
    ref: { accountId: number; inboxId?: number | undefined; remoteJid?: string | undefined },
  ): Promise<StandInMessageRow[]> {
    return db
      .select()
      .from(whatsappStandInMessages)
      .where(
        and(
          eq(whatsappStandInMessages.accountId, ref.accountId),
          ref.inboxId === undefined ? undefined : eq(whatsappStandInMessages.inboxId, ref.inboxId),
          ref.remoteJid === undefined ? undefined : eq(whatsappStandInMessages.remoteJid, ref.remoteJid),
        ),
      )
      .orderBy(asc(whatsappStandInMessages.createdAt), asc(whatsappStandInMessages.id));
  },

  /** Another admin renames the group. */
  async subjectChanged(db: Db, ref: StandInGroupRef, subject: string): Promise<ReceiveWhatsappOutcome> {
    const group = await standInGroup(db, ref);
    await db
      .update(whatsappStandInGroups)
      .set({ subject, updatedAt: new Date() })
      .where(
        and(
          eq(whatsappStandInGroups.accountId, group.accountId),
          eq(whatsappStandInGroups.inboxId, group.inboxId),
          eq(whatsappStandInGroups.jid, group.jid),
        ),
      );
    return deliver(db, group, { event: 'groups.update', data: { id: group.jid, subject } });
  },
};
