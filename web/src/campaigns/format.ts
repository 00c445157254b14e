import type { Campaign, CampaignStats, ContactProgress, DialingMode, WrapupStatus } from './api';

export const modeLabels: Record<DialingMode, string> = {
  progressive: 'Progressive',
  predictive: 'Predictive',
  preview: 'Preview',
  automatic: 'Automatic (machine detection)',
  amd_progressive: 'Progressive with machine detection',
};

export type CampaignState = 'running' | 'paused' | 'archived';

export function campaignState(campaign: Pick<Campaign, 'isPaused' | 'isArchived'>): CampaignState {
  if (campaign.isArchived) return 'archived';
  return campaign.isPaused ? 'paused' : 'running';
}

export const stateLabels: Record<CampaignState, string> = {
  running: 'Running',
  paused: 'Paused',
  archived: 'Archived',
};

export const progressLabels: Record<ContactProgress, string> = {
  to_call: 'To call',
  on_call: 'On a call',
  called: 'Called',
  excluded: 'Excluded',
};

export const wrapupStatusLabels: Record<WrapupStatus, string> = {
  arguedpositive: 'Positive',
  argued: 'Argued',
  nonargued: 'Negative',
  unreachable: 'Unreachable',
  tocall: 'To call back',
};

export const outcomeLabels: Record<string, string> = {
  answered: 'Answered',
  busy: 'Busy',
  no_answer: 'No answer',
  machine: 'Answering machine',
  invalid_number: 'Invalid number',
  abandoned: 'Abandoned',
  failed: 'Failed',
};

export const exclusionLabels: Record<string, string> = {
  noValidPhone: 'no valid phone',
  tooShort: 'number too short',
  tooLong: 'number too long',
  bloctel: 'do-not-call list',
  duplicate: 'duplicate',
  manual: 'excluded by hand',
  manualByAgent: 'excluded by an agent',
  excludedByAdmin: 'excluded by an administrator',
};

const number = new Intl.NumberFormat();
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const count = (value: number): string => number.format(value);
export const share = (value: number): string => percent.format(value);
export const when = (iso: string | null): string => (iso ? dateTime.format(new Date(iso)) : '—');

/** "1.2 % of 3 %", or "No answered calls" before the first one; `isNear` from 80 % of the cap. */
export function abandonmentOf(stats: CampaignStats | undefined): { text: string; isNear: boolean } {
  if (!stats) return { text: '…', isNear: false };
  const { rate, maxRate, answered } = stats.abandonment;
  if (answered === 0) return { text: `No answered calls (cap ${share(maxRate)})`, isNear: false };
  return { text: `${share(rate)} of ${share(maxRate)} cap`, isNear: rate >= maxRate * 0.8 };
}

/** A dialer reason as words: "no_callable_contact" → "no callable contact". */
export const reasonText = (reason: string): string => reason.replace(/_/g, ' ');

/** The contact's name from its fields, read as the core reads it (campaign-contact-links.ts). */
export function contactName(fields: Record<string, string>): string {
  const first = Object.entries(fields).find(([key]) => /^(first[\s_-]?name|pr[ée]nom)$/i.test(key));
  const last = Object.entries(fields).find(([key]) =>
    /^(last[\s_-]?name|surname|nom([\s_-]?de[\s_-]?famille)?)$/i.test(key),
  );
  return [first?.[1], last?.[1]].filter(Boolean).join(' ');
}
