import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { accountPath, api, withQuery } from '../api/client';
import type { Page } from '../api/types';

export type CallState =
  | 'pending_upload'
  | 'pending_download'
  | 'downloaded'
  | 'transcribing'
  | 'transcribed'
  | 'summarizing'
  | 'summarized'
  | 'failed';

export interface CallTag {
  id: number;
  name: string;
  color: string;
}

export interface CallItem {
  id: number;
  title: string;
  direction: 'inbound' | 'outbound' | null;
  startedAt: string | null;
  durationSeconds: number;
  state: CallState;
  failureReason: string | null;
  userId: number | null;
  user: { id: number; name: string } | null;
  tags: CallTag[];
  contacts: { id: number; name: string }[];
  recording: { url: string; contentType: string | null; durationSeconds: number | null } | null;
  summary: string | null;
  createdAt: string;
}

export interface TimedText {
  speakerId: number | null;
  startSeconds: number;
  endSeconds: number;
  text: string;
}

export interface CallDetail extends CallItem {
  transcript: (TimedText & { speaker: string })[];
  highlights: (TimedText & { speaker: string | null })[];
  topics: { name: string; score: number; startSeconds: number | null }[];
}

/** The library's filters, as the URL's search parameters carry them (dates are local days). */
export interface CallFilters {
  userId: string;
  from: string;
  to: string;
  tag: string;
}

/** The states after which nothing changes on its own: polling stops there. */
export function isSettled(state: CallState): boolean {
  return state === 'summarized' || state === 'failed';
}

const POLL_MS = 2000;
const PAGE_SIZE = 50;

// Keys start with the account, like the inbox's: switching accounts never shows another's calls.
export const callKeys = {
  lists: (accountId: number) => ['account', accountId, 'calls'] as const,
  list: (accountId: number, filters: CallFilters) => ['account', accountId, 'calls', filters] as const,
  call: (accountId: number, id: number) => ['account', accountId, 'call', id] as const,
  tags: (accountId: number) => ['account', accountId, 'reference', 'call-tags'] as const,
};

/** A local day's first or last instant, so "to 3 March" includes the evening of 3 March here. */
function dayBound(day: string, end: 'start' | 'end'): string | undefined {
  if (!day) return undefined;
  const instant = new Date(`${day}T${end === 'start' ? '00:00:00.000' : '23:59:59.999'}`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

export function useCallList(accountId: number, filters: CallFilters) {
  return useInfiniteQuery({
    queryKey: callKeys.list(accountId, filters),
    queryFn: ({ pageParam, signal }) =>
      api<Page<CallItem>>(
        withQuery(accountPath(accountId, '/calls'), {
          userId: filters.userId,
          tag: filters.tag,
          from: dayBound(filters.from, 'start'),
          to: dayBound(filters.to, 'end'),
          limit: PAGE_SIZE,
          cursor: pageParam,
        }),
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === accountId ? keepPreviousData(previous) : undefined,
    // Calls in progress change state on their own: look again until they settle.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.data.some((call) => !isSettled(call.state)))
        ? POLL_MS
        : false,
  });
}

export function useCall(accountId: number, id: number, enabled = true) {
  return useQuery({
    enabled,
    queryKey: callKeys.call(accountId, id),
    queryFn: ({ signal }) => api<CallDetail>(accountPath(accountId, `/calls/${String(id)}`), { signal }),
    refetchInterval: (query) => (query.state.data && !isSettled(query.state.data.state) ? POLL_MS : false),
  });
}

export function useCallTags(accountId: number) {
  return useQuery({
    queryKey: callKeys.tags(accountId),
    queryFn: ({ signal }) =>
      api<{ data: CallTag[] }>(accountPath(accountId, '/call-tags'), { signal }).then((page) => page.data),
    staleTime: 60_000,
  });
}

export interface UploadInput {
  file: File;
  title: string;
  /** `datetime-local` value (local time), or empty for now. */
  startedAt: string;
  userId: string;
}

export function useUploadCall(accountId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UploadInput) => {
      // Fields first: the server reads the text fields that precede the file.
      const form = new FormData();
      if (input.title.trim()) form.append('title', input.title.trim());
      if (input.startedAt) form.append('startedAt', new Date(input.startedAt).toISOString());
      if (input.userId) form.append('userId', input.userId);
      form.append('recording', input.file, input.file.name);
      return api<CallDetail>(accountPath(accountId, '/calls'), { method: 'POST', body: form });
    },
    onSuccess: async (call) => {
      queryClient.setQueryData(callKeys.call(accountId, call.id), call);
      await queryClient.invalidateQueries({ queryKey: callKeys.lists(accountId) });
    },
  });
}

/**
 * The recording's signed link without its origin: the app plays it from the server it was loaded
 * from, whatever PARLEY_PUBLIC_URL says (behind a proxy the two can differ).
 */
export function playableUrl(url: string): string {
  const parsed = new URL(url, window.location.origin);
  return `${parsed.pathname}${parsed.search}`;
}
