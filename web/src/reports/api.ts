import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { accountPath, api, withQuery } from '../api/client';

export const dimensions = [
  { value: 'agent', label: 'Agents', one: 'Agent' },
  { value: 'inbox', label: 'Inboxes', one: 'Inbox' },
  { value: 'team', label: 'Teams', one: 'Team' },
  { value: 'label', label: 'Labels', one: 'Label' },
] as const;
export type Dimension = (typeof dimensions)[number]['value'];
export type GroupBy = 'day' | 'week' | 'month';

export interface ReportPoint {
  start: string;
  value: number;
}

export interface BreakdownRow {
  id: number;
  name: string;
  conversations: number;
  resolutions: number;
  avgFirstResponseSeconds: number | null;
  avgResolutionSeconds: number | null;
}

export interface Report {
  since: string;
  until: string;
  totals: {
    conversations: number;
    resolutions: number;
    incomingMessages: number;
    outgoingMessages: number;
    avgFirstResponseSeconds: number | null;
    avgResolutionSeconds: number | null;
  };
  series: {
    conversations: ReportPoint[];
    resolutions: ReportPoint[];
    avgFirstResponseSeconds: ReportPoint[];
    avgResolutionSeconds: ReportPoint[];
  };
  breakdown: BreakdownRow[];
}

/** The period the screen shows, as the API takes it (local days, the browser's UTC offset). */
export interface ReportQuery {
  since: string;
  until: string;
  groupBy: GroupBy;
  by: Dimension;
  timezoneOffset: number;
}

export function reportPath(accountId: number, query: ReportQuery, csv = false): string {
  return withQuery(accountPath(accountId, csv ? '/reports/breakdown.csv' : '/reports'), { ...query });
}

export function useReport(accountId: number, query: ReportQuery) {
  return useQuery({
    queryKey: ['account', accountId, 'report', query],
    queryFn: ({ signal }) => api<Report>(reportPath(accountId, query), { signal }),
    placeholderData: keepPreviousData,
  });
}
