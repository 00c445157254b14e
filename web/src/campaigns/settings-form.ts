import { ApiError } from '../api/client';
import {
  retryableOutcomes,
  type Campaign,
  type CampaignChanges,
  type RetryableOutcome,
  type Weekday,
  type WeeklyWindows,
} from './api';

export const weekdays: { day: Weekday; label: string }[] = [
  { day: '1', label: 'Monday' },
  { day: '2', label: 'Tuesday' },
  { day: '3', label: 'Wednesday' },
  { day: '4', label: 'Thursday' },
  { day: '5', label: 'Friday' },
  { day: '6', label: 'Saturday' },
  { day: '7', label: 'Sunday' },
];

/** The settings form's values: text as typed, turned into a patch on save. */
export interface SettingsDraft {
  name: string;
  mode: Campaign['mode'];
  calendarId: string;
  timezone: string;
  windows: Record<Weekday, string>;
  holidays: string;
  maxTries: string;
  delayMinutes: string;
  byOutcome: Record<RetryableOutcome, { maxTries: string; delayMinutes: string }>;
  isRecorded: boolean;
  recordingPercentage: string;
  maxAbandonPercent: string;
}

const minutes = (seconds: number) => String(Math.round(seconds / 60));

export function draftOf(campaign: Campaign): SettingsDraft {
  const windows = Object.fromEntries(
    weekdays.map(({ day }) => [
      day,
      (campaign.callingWindows[day] ?? []).map((window) => `${window.start}-${window.end}`).join(', '),
    ]),
  ) as Record<Weekday, string>;
  const byOutcome = Object.fromEntries(
    retryableOutcomes.map((outcome) => {
      const rule = campaign.retryRules.byOutcome?.[outcome];
      return [
        outcome,
        { maxTries: rule ? String(rule.maxTries) : '', delayMinutes: rule ? minutes(rule.delaySeconds) : '' },
      ];
    }),
  ) as SettingsDraft['byOutcome'];
  return {
    name: campaign.name,
    mode: campaign.mode,
    calendarId: campaign.calendarId === null ? '' : String(campaign.calendarId),
    timezone: campaign.timezone,
    windows,
    holidays: campaign.holidays.join(', '),
    maxTries: String(campaign.maxTries),
    delayMinutes: minutes(campaign.nextTryDelay),
    byOutcome,
    isRecorded: campaign.isRecorded,
    recordingPercentage: campaign.recordingPercentage === null ? '' : String(campaign.recordingPercentage),
    maxAbandonPercent: String(Math.round(campaign.maxAbandonRate * 1000) / 10),
  };
}

/** A number typed in a field; NaN (which the API refuses, naming the field) when it is not one. */
const numberOf = (text: string): number => (text.trim() === '' ? NaN : Number(text.trim()));

/** "09:00-12:00, 14:00-18:00" → windows; a piece without a dash keeps its text for the API to refuse. */
function windowsOf(text: string): { start: string; end: string }[] {
  return text
    .split(',')
    .map((piece) => piece.trim())
    .filter(Boolean)
    .map((piece) => {
      const [start = '', end = ''] = piece.split('-').map((part) => part.trim());
      return { start, end };
    });
}

/** The patch of the draft; rules the screen does not show (by wrap-up status) are kept. */
export function changesOf(draft: SettingsDraft, campaign: Campaign): CampaignChanges {
  const callingWindows: WeeklyWindows = {};
  for (const { day } of weekdays) {
    const windows = windowsOf(draft.windows[day]);
    if (windows.length > 0) callingWindows[day] = windows;
  }
  const byOutcome: NonNullable<Campaign['retryRules']['byOutcome']> = {};
  for (const outcome of retryableOutcomes) {
    const rule = draft.byOutcome[outcome];
    if (rule.maxTries.trim() === '' && rule.delayMinutes.trim() === '') continue;
    byOutcome[outcome] = {
      maxTries: numberOf(rule.maxTries),
      delaySeconds: Math.round(numberOf(rule.delayMinutes) * 60),
    };
  }
  return {
    name: draft.name.trim(),
    mode: draft.mode,
    calendarId: draft.calendarId === '' ? null : Number(draft.calendarId),
    timezone: draft.timezone.trim(),
    callingWindows,
    holidays: draft.holidays
      .split(',')
      .map((day) => day.trim())
      .filter(Boolean),
    maxTries: numberOf(draft.maxTries),
    nextTryDelay: Math.round(numberOf(draft.delayMinutes) * 60),
    retryRules: { ...campaign.retryRules, byOutcome },
    isRecorded: draft.isRecorded,
    recordingPercentage:
      draft.isRecorded && draft.recordingPercentage.trim() !== ''
        ? numberOf(draft.recordingPercentage)
        : null,
    maxAbandonRate: Math.round(numberOf(draft.maxAbandonPercent) * 10) / 1000,
  };
}

/** The API's first message about a field or anything under it (`callingWindows.1.0.start`…). */
export function errorAt(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.details.find((detail) => {
    const field = detail.path.replace(/^body\./, '');
    return field === path || field.startsWith(`${path}.`);
  })?.message;
}
