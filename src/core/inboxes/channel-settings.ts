import type { InboxRow } from './inboxes.tables.js';

/**
 * What `inboxes.channel_settings` holds, by channel. Unknown keys are kept, so a face can store a
 * provider setting the core does not interpret yet.
 */
export interface ChannelSettings {
  /** API inbox: where Parley posts the inbox's events (Chatwoot's `webhook_url`). */
  webhookUrl?: string | null;
  /** API and widget inboxes: key a client uses to sign contact identifiers (identity validation). */
  hmacToken?: string;
  /** API inbox: secret the callback deliveries are signed with. */
  secret?: string;
  websiteUrl?: string;
  widgetColor?: string;
  welcomeTitle?: string;
  welcomeTagline?: string;
  replyTime?: string;
  email?: string;
  phoneNumber?: string;
  provider?: string;
  providerConfig?: Record<string, unknown>;
  messagingServiceSid?: string;
  medium?: string;
  [key: string]: unknown;
}

export function channelSettingsOf(inbox: Pick<InboxRow, 'channelSettings'>): ChannelSettings {
  return inbox.channelSettings;
}

/** The API inbox's callback URL, or null when none is set (or the inbox is not an API inbox). */
export function callbackUrlOf(inbox: Pick<InboxRow, 'channelType' | 'channelSettings'>): string | null {
  if (inbox.channelType !== 'api') return null;
  const url = channelSettingsOf(inbox).webhookUrl;
  return typeof url === 'string' && url.length > 0 ? url : null;
}
