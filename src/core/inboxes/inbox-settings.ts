import { DomainError } from '../../platform/errors.js';
import type { AutoAssignmentConfig, InboxRow, WorkingHoursDay } from './inboxes.tables.js';

/** Inbox settings any channel has; every field optional so one shape serves create and update. */
export interface InboxSettingsInput {
  name?: string | undefined;
  avatarUrl?: string | null | undefined;
  greetingEnabled?: boolean | undefined;
  greetingMessage?: string | null | undefined;
  workingHoursEnabled?: boolean | undefined;
  workingHours?: WorkingHoursDay[] | undefined;
  timezone?: string | undefined;
  outOfOfficeMessage?: string | null | undefined;
  enableAutoAssignment?: boolean | undefined;
  autoAssignmentConfig?: AutoAssignmentConfig | undefined;
  csatSurveyEnabled?: boolean | undefined;
  enableEmailCollect?: boolean | undefined;
  allowMessagesAfterResolved?: boolean | undefined;
  lockToSingleConversation?: boolean | undefined;
  senderNameType?: InboxRow['senderNameType'] | undefined;
  businessName?: string | null | undefined;
  hmacMandatory?: boolean | undefined;
}

export function assertTimezone(timezone: string | undefined): void {
  if (timezone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new DomainError('VALIDATION_FAILED', `Unknown timezone ${timezone}`, [
      { path: 'timezone', message: 'is not a known IANA time zone' },
    ]);
  }
}

/** Only http(s) URLs are accepted as an API inbox's callback. */
export function assertCallbackUrl(url: string | null | undefined): void {
  if (url === null || url === undefined || url === '') return;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new DomainError('VALIDATION_FAILED', 'webhook_url must be an http(s) URL', [
      { path: 'channel.webhook_url', message: 'is invalid' },
    ]);
  }
}

/** Drizzle `set` values for the given settings; absent fields are left alone. */
export function settingsColumns(input: InboxSettingsInput): Partial<InboxRow> {
  const columns: Partial<InboxRow> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined) (columns as Record<string, unknown>)[key] = value;
  }
  return columns;
}
