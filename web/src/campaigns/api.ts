import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { accountPath, api, withQuery } from '../api/client';

/** The campaigns screens' shapes (native API, see /api/docs); only the fields they use. */
export const dialingModes = ['progressive', 'predictive', 'preview', 'automatic', 'amd_progressive'] as const;
export type DialingMode = (typeof dialingModes)[number];

export const retryableOutcomes = ['busy', 'no_answer', 'machine', 'invalid_number', 'abandoned'] as const;
export type RetryableOutcome = (typeof retryableOutcomes)[number];

export const wrapupStatuses = ['arguedpositive', 'argued', 'nonargued', 'unreachable', 'tocall'] as const;
export type WrapupStatus = (typeof wrapupStatuses)[number];

export type Weekday = '1' | '2' | '3' | '4' | '5' | '6' | '7';
export type WeeklyWindows = Partial<Record<Weekday, { start: string; end: string }[]>>;

export interface RetryRule {
  maxTries: number;
  delaySeconds: number;
}

export interface Campaign {
  id: number;
  name: string;
  mode: DialingMode;
  isPaused: boolean;
  isArchived: boolean;
  customFields: string[];
  phoneFields: string[];
  maxTries: number;
  nextTryDelay: number;
  retryRules: {
    byOutcome?: Partial<Record<RetryableOutcome, RetryRule>>;
    /** Not edited on the screen; kept as they are when the outcome rules change. */
    byWrapupStatus?: Partial<Record<WrapupStatus, RetryRule>>;
  };
  isRecorded: boolean;
  recordingPercentage: number | null;
  calendarId: number | null;
  timezone: string;
  callingWindows: WeeklyWindows;
  holidays: string[];
  maxAbandonRate: number;
  createdAt: string;
}

export type CampaignChanges = Partial<
  Pick<
    Campaign,
    | 'name'
    | 'mode'
    | 'isArchived'
    | 'maxTries'
    | 'nextTryDelay'
    | 'retryRules'
    | 'isRecorded'
    | 'recordingPercentage'
    | 'calendarId'
    | 'timezone'
    | 'callingWindows'
    | 'holidays'
    | 'maxAbandonRate'
  >
>;

export interface CampaignStats {
  campaignId: number;
  contacts: { total: number; toCall: number; onCall: number; called: number; excluded: number };
  callsToday: number;
  timezone: string;
  abandonment: { windowDays: number; abandoned: number; answered: number; rate: number; maxRate: number };
}

export const contactProgresses = ['to_call', 'on_call', 'called', 'excluded'] as const;
export type ContactProgress = (typeof contactProgresses)[number];

export interface CampaignContact {
  id: number;
  contactNumber: number;
  progress: ContactProgress;
  customFields: Record<string, string>;
  phones: Record<string, string>;
  priority: number;
  comment: string | null;
  excluded: boolean;
  excludedCause: string | null;
  triesNumber: number;
  retryAt: string | null;
  lastCallAt: string | null;
  wrapupStatus: WrapupStatus | null;
}

export interface NewContact {
  customFields: Record<string, string>;
  priority?: number;
  comment?: string;
}

export interface ContactBatch {
  id: string;
  status: 'ACCEPTED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  totalItems: number | null;
  processedItems: number;
  modifiedCount: number;
  failed: number[];
  excluded: Record<string, number[]>;
  failureReason: string | null;
}

export interface WrapupCode {
  id: number;
  name: string;
  status: WrapupStatus;
  path: string;
  isSystem: boolean;
  isHidden: boolean;
}

export interface Decision {
  id: number;
  kind: string;
  reason: string;
  decidedAt: string;
  details: Record<string, unknown>;
}

export interface RecentCall {
  id: number;
  contactNumber: number | null;
  phoneName: string;
  phoneNumber: string;
  agentName: string | null;
  outcome: string | null;
  placedAt: string;
  endedAt: string | null;
  wrapupName: string | null;
  decisions: Decision[];
}

export interface Calendar {
  id: number;
  name: string;
  timezone: string;
}

interface Page<T> {
  data: T[];
  nextCursor: number | null;
}

// Keys start with the account (as the inbox's do), so switching accounts never shows another's rows.
export const campaignKeys = {
  all: (accountId: number) => ['account', accountId, 'campaigns'] as const,
  list: (accountId: number) => ['account', accountId, 'campaigns', 'list'] as const,
  one: (accountId: number, id: number) => ['account', accountId, 'campaigns', id] as const,
  stats: (accountId: number) => ['account', accountId, 'campaigns', 'stats'] as const,
};

const PAGE_SIZE = 50;

export function useCampaignList(accountId: number) {
  return useInfiniteQuery({
    queryKey: campaignKeys.list(accountId),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Campaign>>(
        withQuery(accountPath(accountId, '/campaigns'), { limit: PAGE_SIZE, cursor: pageParam }),
        { signal },
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** The figures of the campaigns on screen, in one request; refreshed every 15 s. */
export function useCampaignStats(accountId: number, campaignIds: number[]) {
  return useQuery({
    queryKey: [...campaignKeys.stats(accountId), campaignIds],
    queryFn: ({ signal }) =>
      api<{ data: CampaignStats[] }>(
        withQuery(accountPath(accountId, '/campaign-stats'), { campaignIds: campaignIds.join(',') }),
        { signal },
      ),
    select: (answer) => new Map(answer.data.map((row) => [row.campaignId, row])),
    enabled: campaignIds.length > 0,
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}

export function useCampaign(accountId: number, campaignId: number) {
  return useQuery({
    queryKey: campaignKeys.one(accountId, campaignId),
    queryFn: ({ signal }) =>
      api<Campaign>(accountPath(accountId, `/campaigns/${String(campaignId)}`), { signal }),
  });
}

export function useOneCampaignStats(accountId: number, campaignId: number) {
  return useQuery({
    queryKey: [...campaignKeys.one(accountId, campaignId), 'stats'],
    queryFn: ({ signal }) =>
      api<CampaignStats>(accountPath(accountId, `/campaigns/${String(campaignId)}/stats`), { signal }),
    refetchInterval: 10_000,
  });
}

/** A write that refreshes every campaigns query of the account (lists, figures, pages). */
function useCampaignWrite<Input, Output>(accountId: number, write: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: campaignKeys.all(accountId) });
    },
  });
}

export const useCreateCampaign = (accountId: number) =>
  useCampaignWrite(
    accountId,
    (input: { name: string; mode: DialingMode; phoneFields: string[]; customFields: string[] }) =>
      api<Campaign>(accountPath(accountId, '/campaigns'), { method: 'POST', json: input }),
  );

export const useUpdateCampaign = (accountId: number) =>
  useCampaignWrite(accountId, (input: { id: number; changes: CampaignChanges }) =>
    api<Campaign>(accountPath(accountId, `/campaigns/${String(input.id)}`), {
      method: 'PATCH',
      json: input.changes,
    }),
  );

/** Play or pause: the dialer's own routes. */
export const useSetRunning = (accountId: number) =>
  useCampaignWrite(accountId, (input: { id: number; isRunning: boolean }) =>
    api<unknown>(
      accountPath(accountId, `/campaigns/${String(input.id)}/${input.isRunning ? 'start' : 'pause'}`),
      { method: 'POST' },
    ),
  );

export const useAddFields = (accountId: number) =>
  useCampaignWrite(accountId, (input: { id: number; name: string; isPhoneNumber: boolean }) =>
    api<Campaign>(accountPath(accountId, `/campaigns/${String(input.id)}/fields`), {
      method: 'POST',
      json: { newCustomFields: [{ name: input.name, isPhoneNumber: input.isPhoneNumber }] },
    }),
  );

export function useCampaignContacts(accountId: number, campaignId: number, progress: ContactProgress | '') {
  return useInfiniteQuery({
    queryKey: [...campaignKeys.one(accountId, campaignId), 'contacts', progress],
    queryFn: ({ pageParam, signal }) =>
      api<Page<CampaignContact>>(
        withQuery(accountPath(accountId, `/campaigns/${String(campaignId)}/contacts`), {
          limit: PAGE_SIZE,
          cursor: pageParam,
          progress,
        }),
        { signal },
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export const useAddContact = (accountId: number, campaignId: number) =>
  useCampaignWrite(accountId, (input: NewContact) =>
    api<CampaignContact>(accountPath(accountId, `/campaigns/${String(campaignId)}/contacts`), {
      method: 'POST',
      json: input,
    }),
  );

export const useSetExcluded = (accountId: number, campaignId: number) =>
  useCampaignWrite(accountId, (input: { id: number; excluded: boolean }) =>
    api<CampaignContact>(
      accountPath(accountId, `/campaigns/${String(campaignId)}/contacts/${String(input.id)}`),
      { method: 'PATCH', json: { excluded: input.excluded } },
    ),
  );

export function submitContactBatch(
  accountId: number,
  campaignId: number,
  contacts: NewContact[],
): Promise<ContactBatch> {
  return api<ContactBatch>(accountPath(accountId, `/campaigns/${String(campaignId)}/contact-batches`), {
    method: 'POST',
    json: { contacts },
  });
}

export function loadContactBatch(
  accountId: number,
  campaignId: number,
  batchId: string,
): Promise<ContactBatch> {
  return api<ContactBatch>(
    accountPath(accountId, `/campaigns/${String(campaignId)}/contact-batches/${batchId}`),
  );
}

export function useWrapupCodes(accountId: number) {
  return useQuery({
    queryKey: [...campaignKeys.all(accountId), 'wrapups'],
    queryFn: ({ signal }) =>
      api<{ data: WrapupCode[]; count: number }>(accountPath(accountId, '/wrapups?limit=200'), { signal }),
  });
}

export const useCreateWrapup = (accountId: number) =>
  useCampaignWrite(accountId, (input: { name: string; status: WrapupStatus }) =>
    api<WrapupCode>(accountPath(accountId, '/wrapups'), { method: 'POST', json: input }),
  );

export function useCalendars(accountId: number) {
  return useQuery({
    queryKey: [...campaignKeys.all(accountId), 'calendars'],
    queryFn: ({ signal }) =>
      api<Page<Calendar>>(accountPath(accountId, '/dialer-calendars?limit=200'), { signal }),
    select: (page) => page.data,
  });
}

export function useRecentCalls(accountId: number, campaignId: number) {
  return useInfiniteQuery({
    queryKey: [...campaignKeys.one(accountId, campaignId), 'recent-calls'],
    queryFn: ({ pageParam, signal }) =>
      api<Page<RecentCall>>(
        withQuery(accountPath(accountId, `/campaigns/${String(campaignId)}/dialer/recent-calls`), {
          limit: 25,
          cursor: pageParam,
        }),
        { signal },
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
