import { DomainError } from '../../platform/errors.js';
import type { GroupMemberRole } from './whatsapp.tables.js';

/** One provider connection: a WhatsApp inbox and the number it is logged in as. */
export interface WhatsappInstance {
  accountId: number;
  inboxId: number;
  /** The inbox's own JID (`<digits>@s.whatsapp.net`), or null when the inbox has no number yet. */
  ownJid: string | null;
}

export const groupSettings = ['announce', 'restrict', 'join_approval_mode', 'member_add_mode'] as const;
export type GroupSetting = (typeof groupSettings)[number];

export interface ProviderParticipant {
  jid: string;
  role: GroupMemberRole;
}

/** What Baileys' `groupMetadata` answers, in Parley's words. */
export interface ProviderGroupMetadata {
  jid: string;
  subject: string;
  description: string | null;
  pictureUrl: string | null;
  ownerJid: string;
  participants: ProviderParticipant[];
  settings: Record<GroupSetting, boolean>;
}

export interface ProviderJoinRequest {
  jid: string;
  requestMethod: string;
  requestedAt: Date;
}

/** A per-participant outcome, as Baileys reports it (`status` '200' when done). */
export interface ParticipantOutcome {
  jid: string;
  status: string;
}

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';

/** Baileys' `MiscMessageGenerationOptions`, as far as Parley uses them. */
export interface SendMessageOptions {
  /**
   * The message id to send under (Baileys generates one when absent). Parley passes an id derived
   * from its own message, so a send repeated after a crash is the same message, not a second one.
   */
  messageId?: string | undefined;
}

/**
 * The port to a WhatsApp provider's messaging and group functions, modelled on Baileys (the fork's
 * provider). A provider that cannot be reached throws; a refusal for one participant is an outcome;
 * a send the provider refuses (not in the group, announce-only) throws a `DomainError`.
 * What happens in a group without Parley (someone joins, writes, changes the subject) comes
 * back as inbound events through `receiveWhatsappEvent`.
 */
export interface WhatsappProvider {
  readonly name: string;
  /**
   * Baileys' `sendMessage(jid, { text })`: a text to a user JID or a group JID, as the instance's
   * number. Resolves to the provider's message id once the provider accepted it.
   */
  sendMessage(
    instance: WhatsappInstance,
    jid: string,
    content: { text: string },
    options?: SendMessageOptions,
  ): Promise<string>;
  createGroup(
    instance: WhatsappInstance,
    input: { subject: string; participantJids: string[] },
  ): Promise<ProviderGroupMetadata>;
  groupMetadata(instance: WhatsappInstance, groupJid: string): Promise<ProviderGroupMetadata>;
  updateParticipants(
    instance: WhatsappInstance,
    groupJid: string,
    participantJids: string[],
    action: ParticipantAction,
  ): Promise<ParticipantOutcome[]>;
  updateSubject(instance: WhatsappInstance, groupJid: string, subject: string): Promise<void>;
  updateDescription(instance: WhatsappInstance, groupJid: string, description: string): Promise<void>;
  inviteCode(instance: WhatsappInstance, groupJid: string): Promise<string>;
  revokeInvite(instance: WhatsappInstance, groupJid: string): Promise<string>;
  joinRequests(instance: WhatsappInstance, groupJid: string): Promise<ProviderJoinRequest[]>;
  handleJoinRequests(
    instance: WhatsappInstance,
    groupJid: string,
    participantJids: string[],
    action: 'approve' | 'reject',
  ): Promise<ParticipantOutcome[]>;
  updateSetting(
    instance: WhatsappInstance,
    groupJid: string,
    setting: GroupSetting,
    enabled: boolean,
  ): Promise<void>;
  leave(instance: WhatsappInstance, groupJid: string): Promise<void>;
}

/** The provider could not do it (down, logged out, or not able to manage groups at all). */
export function providerUnavailable(reason: string): DomainError {
  return new DomainError('UNAVAILABLE', `WhatsApp provider unavailable: ${reason}`);
}

/** Runs a provider call; whatever it throws becomes `UNAVAILABLE` unless it is already a domain error. */
export async function callProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw providerUnavailable(error instanceof Error ? error.message : String(error));
  }
}

const USER_SUFFIX = '@s.whatsapp.net';

/** `5511999999999`, `+5511999999999` or a user JID, to the user JID. */
export function userJidOf(participant: string): string {
  const trimmed = participant.trim();
  if (trimmed.includes('@')) return trimmed;
  return `${trimmed.replace(/^\+/, '')}${USER_SUFFIX}`;
}

/** The phone digits of a user JID (a device suffix `:12` is dropped). */
export function digitsOfJid(jid: string): string {
  return (jid.split('@')[0] ?? '').split(':')[0] ?? '';
}

export function inviteUrlOf(code: string): string {
  return `https://chat.whatsapp.com/${code}`;
}
