import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import { channelTypes } from '../../core/inboxes/inboxes.tables.js';
import type { ChannelSettings } from '../../core/inboxes/channel-settings.js';
import type { InboxSettingsInput } from '../../core/inboxes/inbox-settings.js';

const workingHoursDay = z.object({
  day_of_week: z.number().int().min(0).max(6),
  closed_all_day: z.boolean().default(false),
  open_all_day: z.boolean().default(false),
  open_hour: z.number().int().min(0).max(23).nullable().optional(),
  open_minutes: z.number().int().min(0).max(59).nullable().optional(),
  close_hour: z.number().int().min(0).max(24).nullable().optional(),
  close_minutes: z.number().int().min(0).max(59).nullable().optional(),
});

const channelFields = {
  website_url: z.string().max(2000).optional(),
  welcome_title: z.string().max(500).optional(),
  welcome_tagline: z.string().max(1000).optional(),
  widget_color: z.string().max(50).optional(),
  reply_time: z.string().max(50).optional(),
  webhook_url: z.string().max(2000).nullable().optional(),
  hmac_mandatory: z.boolean().optional(),
  email: z.string().max(320).optional(),
  phone_number: z.string().max(50).optional(),
  provider: z.string().max(50).optional(),
  provider_config: jsonObject().optional(),
  messaging_service_sid: z.string().max(100).optional(),
  medium: z.string().max(50).optional(),
};

const settingsFields = {
  name: z.string().trim().min(1).max(255).optional(),
  avatar_url: z.string().max(2000).nullable().optional(),
  greeting_enabled: z.boolean().optional(),
  greeting_message: z.string().max(10_000).nullable().optional(),
  enable_email_collect: z.boolean().optional(),
  csat_survey_enabled: z.boolean().optional(),
  enable_auto_assignment: z.boolean().optional(),
  auto_assignment_config: z
    .object({ max_assignment_limit: z.number().int().positive().nullable().optional() })
    .optional(),
  working_hours_enabled: z.boolean().optional(),
  working_hours: z.array(workingHoursDay).max(7).optional(),
  out_of_office_message: z.string().max(10_000).nullable().optional(),
  timezone: z.string().max(100).optional(),
  allow_messages_after_resolved: z.boolean().optional(),
  lock_to_single_conversation: z.boolean().optional(),
  // Accepted for compatibility; Parley has no help-center portals.
  portal_id: z.number().int().nullable().optional(),
  sender_name_type: z.enum(['friendly', 'professional']).optional(),
  business_name: z.string().max(255).nullable().optional(),
};

/** Seed `inbox_create_payload`: Chatwoot's channel types `line` and `telegram` are not offered. */
export const inboxCreateBody = z.object({
  ...settingsFields,
  name: z.string().trim().min(1).max(255),
  channel: z.object({ ...channelFields, type: z.enum(channelTypes) }),
});

/** Seed `inbox_update_payload`. */
export const inboxUpdateBody = z.object({
  ...settingsFields,
  channel: z.object(channelFields).optional(),
});

type SettingsBody = z.infer<typeof inboxUpdateBody>;
type ChannelBody = z.infer<typeof inboxUpdateBody>['channel'];

export function toInboxSettings(body: SettingsBody): InboxSettingsInput {
  return {
    name: body.name,
    avatarUrl: body.avatar_url,
    greetingEnabled: body.greeting_enabled,
    greetingMessage: body.greeting_message,
    enableEmailCollect: body.enable_email_collect,
    csatSurveyEnabled: body.csat_survey_enabled,
    enableAutoAssignment: body.enable_auto_assignment,
    autoAssignmentConfig: body.auto_assignment_config && {
      maxAssignmentLimit: body.auto_assignment_config.max_assignment_limit ?? null,
    },
    workingHoursEnabled: body.working_hours_enabled,
    workingHours: body.working_hours?.map((day) => ({
      dayOfWeek: day.day_of_week,
      closedAllDay: day.closed_all_day,
      openAllDay: day.open_all_day,
      openHour: day.open_hour ?? null,
      openMinutes: day.open_minutes ?? null,
      closeHour: day.close_hour ?? null,
      closeMinutes: day.close_minutes ?? null,
    })),
    outOfOfficeMessage: body.out_of_office_message,
    timezone: body.timezone,
    allowMessagesAfterResolved: body.allow_messages_after_resolved,
    lockToSingleConversation: body.lock_to_single_conversation,
    senderNameType: body.sender_name_type,
    businessName: body.business_name,
    hmacMandatory: body.channel?.hmac_mandatory,
  };
}

/** Chatwoot's snake_case channel attributes to the core's channel settings. */
export function toChannelSettings(channel: ChannelBody): ChannelSettings | undefined {
  if (!channel) return undefined;
  const mapping: [keyof NonNullable<ChannelBody>, keyof ChannelSettings][] = [
    ['website_url', 'websiteUrl'],
    ['welcome_title', 'welcomeTitle'],
    ['welcome_tagline', 'welcomeTagline'],
    ['widget_color', 'widgetColor'],
    ['reply_time', 'replyTime'],
    ['webhook_url', 'webhookUrl'],
    ['email', 'email'],
    ['phone_number', 'phoneNumber'],
    ['provider', 'provider'],
    ['provider_config', 'providerConfig'],
    ['messaging_service_sid', 'messagingServiceSid'],
    ['medium', 'medium'],
  ];
  const settings: ChannelSettings = {};
  for (const [from, to] of mapping) {
    const value = channel[from];
    // An empty callback URL clears it, as Chatwoot's settings form does.
    if (value !== undefined) settings[to] = from === 'webhook_url' && value === '' ? null : value;
  }
  return settings;
}
