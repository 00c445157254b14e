import { dixaChannelOf } from '../conversations/conversation-channels.js';
import { channelTypes, type ChannelType } from '../inboxes/inboxes.tables.js';

/**
 * Dixa's channels as analytics filter values: upper snake case codes with a label, as Dixa's
 * filter-values endpoint lists them (`{"value": "CONTACT_FORM", "label": "Contact Form"}`).
 */
export const channelLabels: Record<string, string> = {
  EMAIL: 'Email',
  WIDGET_CHAT: 'Widget Chat',
  PSTN_PHONE: 'Phone',
  CALLBACK: 'Callback',
  VOICEMAIL: 'Voicemail',
  WHATS_APP: 'WhatsApp',
  FACEBOOK_MESSENGER: 'Facebook Messenger',
  MESSENGER: 'Messenger',
  SMS: 'SMS',
  TWITTER: 'Twitter',
  CONTACT_FORM: 'Contact Form',
};

const squash = (value: string) => value.replace(/[^a-z0-9]/gi, '').toUpperCase();
const codeBySquashed = new Map(Object.keys(channelLabels).map((code) => [squash(code), code]));

/** A Dixa channel name (`WhatsApp`, `PstnPhone`) or code (`WHATS_APP`) as a code, if known. */
export function channelCodeOf(value: string): string | undefined {
  return codeBySquashed.get(squash(value));
}

/** The channel of a conversation for reporting: the Dixa face's channel, as a code. */
export function reportingChannelOf(conversation: {
  inbox: { channelType: string };
  additionalAttributes?: Record<string, unknown>;
}): string {
  const { channelType } = conversation.inbox;
  if (!(channelTypes as readonly string[]).includes(channelType)) return 'WIDGET_CHAT';
  const channel = dixaChannelOf({
    channelType: channelType as ChannelType,
    additionalAttributes: conversation.additionalAttributes ?? null,
  });
  return channelCodeOf(channel) ?? 'WIDGET_CHAT';
}

export function channelLabelOf(code: string): string {
  return channelLabels[code] ?? code;
}
