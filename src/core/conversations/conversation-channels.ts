import type { ChannelType } from '../inboxes/inboxes.tables.js';

/** The channels a contact center names (Dixa's `ConversationChannel` values). */
export const conversationChannels = [
  'WhatsApp',
  'Voicemail',
  'WidgetChat',
  'FacebookMessenger',
  'Twitter',
  'Email',
  'ContactForm',
  'Callback',
  'PstnPhone',
  'Sms',
  'Messenger',
] as const;
export type ConversationChannel = (typeof conversationChannels)[number];

/**
 * Where a conversation records the channel it was opened on when the inbox's type alone does not
 * say it (a contact form arriving by email, a callback on a voice line, Messenger on an API
 * inbox). It sits in `additional_attributes`, which every face already carries.
 */
export const SOURCE_CHANNEL_KEY = 'source_channel';

const channelOfInboxType: Record<ChannelType, ConversationChannel> = {
  web_widget: 'WidgetChat',
  email: 'Email',
  sms: 'Sms',
  whatsapp: 'WhatsApp',
  voice: 'PstnPhone',
  api: 'WidgetChat',
};

/** Which inbox types can carry a channel; the first is preferred when an account has several. */
const inboxTypesOfChannel: Record<ConversationChannel, readonly ChannelType[]> = {
  WidgetChat: ['web_widget', 'api'],
  Email: ['email'],
  ContactForm: ['email', 'api'],
  Sms: ['sms'],
  WhatsApp: ['whatsapp'],
  PstnPhone: ['voice'],
  Callback: ['voice', 'api'],
  Voicemail: ['voice', 'api'],
  Messenger: ['api', 'web_widget'],
  FacebookMessenger: ['api'],
  Twitter: ['api'],
};

export function isConversationChannel(value: unknown): value is ConversationChannel {
  return typeof value === 'string' && (conversationChannels as readonly string[]).includes(value);
}

export function inboxTypesFor(channel: ConversationChannel): readonly ChannelType[] {
  return inboxTypesOfChannel[channel];
}

/**
 * The channel of a conversation (or, without `additionalAttributes`, of an inbox): the one
 * recorded when the conversation was opened, if it fits the inbox, else the inbox type's own.
 */
export function dixaChannelOf(source: {
  channelType: ChannelType;
  additionalAttributes?: Record<string, unknown> | null;
}): ConversationChannel {
  const recorded = source.additionalAttributes?.[SOURCE_CHANNEL_KEY];
  if (isConversationChannel(recorded) && inboxTypesOfChannel[recorded].includes(source.channelType)) {
    return recorded;
  }
  return channelOfInboxType[source.channelType];
}
