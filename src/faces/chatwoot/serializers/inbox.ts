import { z } from 'zod';
import type { InboxRow } from '../../../core/inboxes/inboxes.tables.js';
import { channelSettingsOf } from '../../../core/inboxes/channel-settings.js';

/** Chatwoot's channel class names, as `channel_type` shows them. */
export const chatwootChannelTypes = {
  api: 'Channel::Api',
  web_widget: 'Channel::WebWidget',
  email: 'Channel::Email',
  sms: 'Channel::Sms',
  whatsapp: 'Channel::Whatsapp',
  voice: 'Channel::Voice',
} as const satisfies Record<InboxRow['channelType'], string>;

const workingHoursSchema = z.object({
  day_of_week: z.number(),
  closed_all_day: z.boolean(),
  open_hour: z.number().optional(),
  open_minutes: z.number().optional(),
  close_hour: z.number().optional(),
  close_minutes: z.number().optional(),
  open_all_day: z.boolean(),
});

/**
 * Seed schema `inbox`. Channel-specific fields appear only for their channel, as Chatwoot's
 * inbox view does; settings that were never set are left out (Chatwoot renders null, which the
 * seed's types do not allow).
 */
export const chatwootInboxSchema = z.object({
  id: z.number(),
  name: z.string(),
  channel_id: z.number(),
  channel_type: z.string(),
  avatar_url: z.string(),
  greeting_enabled: z.boolean(),
  greeting_message: z.string().optional(),
  working_hours_enabled: z.boolean(),
  enable_email_collect: z.boolean(),
  csat_survey_enabled: z.boolean(),
  enable_auto_assignment: z.boolean(),
  auto_assignment_config: z.record(z.string(), z.unknown()),
  out_of_office_message: z.string().optional(),
  working_hours: z.array(workingHoursSchema),
  timezone: z.string(),
  allow_messages_after_resolved: z.boolean(),
  lock_to_single_conversation: z.boolean(),
  sender_name_type: z.string(),
  business_name: z.string().optional(),
  hmac_mandatory: z.boolean(),
  selected_feature_flags: z.record(z.string(), z.unknown()),
  reply_time: z.string().optional(),
  website_url: z.string().optional(),
  widget_color: z.string().optional(),
  website_token: z.string().optional(),
  web_widget_script: z.string().optional(),
  welcome_title: z.string().optional(),
  welcome_tagline: z.string().optional(),
  callback_webhook_url: z.string().optional(),
  inbox_identifier: z.string().optional(),
  hmac_token: z.string().optional(),
  secret: z.string().optional(),
  email: z.string().optional(),
  phone_number: z.string().optional(),
  messaging_service_sid: z.string().optional(),
  medium: z.string().optional(),
  provider: z.string().optional(),
});

export type ChatwootInbox = z.infer<typeof chatwootInboxSchema>;

export interface InboxSerializerOptions {
  /** Base URL put in the widget's embed script. */
  baseUrl?: string;
  /** Secrets (HMAC token, callback secret) are shown to administrators only. */
  isAdministrator?: boolean;
}

export function toChatwootInbox(row: InboxRow, options: InboxSerializerOptions = {}): ChatwootInbox {
  const settings = channelSettingsOf(row);
  const base: ChatwootInbox = {
    id: row.id,
    name: row.name,
    // Parley keeps channel settings on the inbox, so the channel id is the inbox id.
    channel_id: row.id,
    channel_type: chatwootChannelTypes[row.channelType],
    avatar_url: row.avatarUrl ?? '',
    greeting_enabled: row.greetingEnabled,
    greeting_message: row.greetingMessage ?? undefined,
    working_hours_enabled: row.workingHoursEnabled,
    enable_email_collect: row.enableEmailCollect,
    csat_survey_enabled: row.csatSurveyEnabled,
    enable_auto_assignment: row.enableAutoAssignment,
    auto_assignment_config: toSnakeAutoAssignment(row.autoAssignmentConfig),
    out_of_office_message: row.outOfOfficeMessage ?? undefined,
    working_hours: row.workingHours.map((day) => ({
      day_of_week: day.dayOfWeek,
      closed_all_day: day.closedAllDay,
      open_hour: day.openHour ?? undefined,
      open_minutes: day.openMinutes ?? undefined,
      close_hour: day.closeHour ?? undefined,
      close_minutes: day.closeMinutes ?? undefined,
      open_all_day: day.openAllDay,
    })),
    timezone: row.timezone,
    allow_messages_after_resolved: row.allowMessagesAfterResolved,
    lock_to_single_conversation: row.lockToSingleConversation,
    sender_name_type: row.senderNameType,
    business_name: row.businessName ?? undefined,
    hmac_mandatory: row.hmacMandatory,
    selected_feature_flags: {},
  };
  const secrets = options.isAdministrator ? { hmac_token: settings.hmacToken ?? '' } : {};
  switch (row.channelType) {
    case 'web_widget':
      return {
        ...base,
        ...secrets,
        website_url: settings.websiteUrl ?? '',
        widget_color: settings.widgetColor ?? '#1f93ff',
        website_token: row.identifier,
        welcome_title: settings.welcomeTitle ?? '',
        welcome_tagline: settings.welcomeTagline ?? '',
        reply_time: settings.replyTime ?? 'in_a_few_minutes',
        web_widget_script: widgetScript(options.baseUrl ?? '', row.identifier),
      };
    case 'api':
      return {
        ...base,
        ...secrets,
        ...(options.isAdministrator && { secret: settings.secret ?? '' }),
        ...(typeof settings.webhookUrl === 'string' && { callback_webhook_url: settings.webhookUrl }),
        inbox_identifier: row.identifier,
      };
    case 'email':
      return { ...base, email: settings.email ?? '', provider: settings.provider ?? 'imap' };
    case 'sms':
    case 'whatsapp':
    case 'voice':
      return {
        ...base,
        phone_number: settings.phoneNumber ?? '',
        provider: settings.provider ?? 'default',
        ...(settings.messagingServiceSid !== undefined && {
          messaging_service_sid: settings.messagingServiceSid,
        }),
        ...(settings.medium !== undefined && { medium: settings.medium }),
      };
  }
}

function toSnakeAutoAssignment(config: InboxRow['autoAssignmentConfig']): Record<string, unknown> {
  return config.maxAssignmentLimit === undefined ? {} : { max_assignment_limit: config.maxAssignmentLimit };
}

/** The embed snippet Chatwoot shows for a website inbox, pointing at this server. */
function widgetScript(baseUrl: string, websiteToken: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    '<script>',
    '  (function(d,t) {',
    `    var BASE_URL="${base}/chatwoot";`,
    '    var g=d.createElement(t),s=d.getElementsByTagName(t)[0];',
    '    g.src=BASE_URL+"/packs/js/sdk.js";',
    '    g.defer = true;',
    '    g.async = true;',
    '    s.parentNode.insertBefore(g,s);',
    '    g.onload=function(){',
    '      window.chatwootSDK.run({',
    `        websiteToken: '${websiteToken}',`,
    '        baseUrl: BASE_URL',
    '      })',
    '    }',
    '  })(document,"script");',
    '</script>',
  ].join('\n');
}
