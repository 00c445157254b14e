import type { TestApp } from '../../testing/app.js';
import { createInbox } from '../inboxes/create-inbox.js';
import type { ReceiveWhatsappOutcome } from './receive-whatsapp-event.js';
import type { StandInMessageRow } from './whatsapp.tables.js';
import { standInSimulator, type StandInGroupRef } from './stand-in-simulator.js';

/**
 * Test helpers that make the stand-in WhatsApp provider act as the outside world would: the
 * event goes through the provider's state and Parley's entry point, as a real Baileys event does.
 * Exported for other modules' end-to-end tests (a group created through a face, then this).
 */

/** A WhatsApp inbox served by the stand-in (provider `baileys`, as in the fork), with its own number. */
export async function seedWhatsappInbox(
  app: TestApp,
  accountId: number,
  options: { name?: string; phoneNumber?: string; provider?: string } = {},
): Promise<number> {
  const inbox = await createInbox(
    app.parley.ctx.db,
    {
      accountId,
      name: options.name ?? 'WhatsApp',
      channelType: 'whatsapp',
      enableAutoAssignment: false,
      channelSettings: {
        phoneNumber: options.phoneNumber ?? '+5511900000000',
        provider: options.provider ?? 'baileys',
      },
    },
    { type: 'system' },
  );
  return inbox.id;
}

/** Someone joins the group (by its invite link); they appear in the members list. */
export function standInMemberJoins(
  app: TestApp,
  group: StandInGroupRef,
  person: { phone: string; name?: string },
): Promise<ReceiveWhatsappOutcome> {
  return standInSimulator.memberJoins(app.parley.ctx.db, group, person);
}

/** A member leaves the group. */
export function standInMemberLeaves(
  app: TestApp,
  group: StandInGroupRef,
  person: { phone: string },
): Promise<ReceiveWhatsappOutcome> {
  return standInSimulator.memberLeaves(app.parley.ctx.db, group, person);
}

/** A member writes in the group; it arrives as an incoming message whose sender is that member. */
export function standInGroupMessage(
  app: TestApp,
  group: StandInGroupRef,
  message: { phone: string; text: string; name?: string; messageId?: string },
): Promise<ReceiveWhatsappOutcome> {
  return standInSimulator.groupMessage(app.parley.ctx.db, group, message);
}

/** Someone asks to join (join approval on); the request is listed until handled. */
export function standInJoinRequest(
  app: TestApp,
  group: StandInGroupRef,
  person: { phone: string },
): Promise<void> {
  return standInSimulator.requestsToJoin(app.parley.ctx.db, group, person);
}

/** What the stand-in provider sent for the account's inboxes (one inbox, one chat), oldest first. */
export function standInSentMessages(
  app: TestApp,
  ref: { accountId: number; inboxId?: number; remoteJid?: string },
): Promise<StandInMessageRow[]> {
  return standInSimulator.sentMessages(app.parley.ctx.db, ref);
}
