import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { accountPath, api, withQuery } from './client';
import type {
  CannedResponse,
  Contact,
  Conversation,
  ConversationPage,
  ConversationPatch,
  Inbox,
  Label,
  Member,
  Message,
  Page,
  Team,
} from './types';

/** The list's filters, as the URL's search parameters carry them. */
export interface ConversationFilters {
  tab: 'mine' | 'unassigned' | 'all';
  status: string;
  inboxId: string;
  teamId: string;
  label: string;
  assigneeId: string;
  priority: string;
  q: string;
}

const PAGE_SIZE = 50;

// Keys start with the account so switching accounts never shows another account's rows.
export const keys = {
  account: (accountId: number) => ['account', accountId] as const,
  lists: (accountId: number) => ['account', accountId, 'conversations'] as const,
  list: (accountId: number, filters: ConversationFilters) =>
    ['account', accountId, 'conversations', filters] as const,
  conversation: (accountId: number, id: number) => ['account', accountId, 'conversation', id] as const,
  messages: (accountId: number, id: number) => ['account', accountId, 'messages', id] as const,
  contact: (accountId: number, id: number) => ['account', accountId, 'contact', id] as const,
  reference: (accountId: number, what: string) => ['account', accountId, 'reference', what] as const,
};

export function useConversationList(accountId: number, filters: ConversationFilters) {
  return useInfiniteQuery({
    queryKey: keys.list(accountId, filters),
    queryFn: ({ pageParam, signal }) =>
      api<ConversationPage>(
        withQuery(accountPath(accountId, '/conversations'), {
          ...filters,
          limit: PAGE_SIZE,
          cursor: pageParam,
        }),
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // Keep showing the old rows while a filter change loads (no flash of an empty list), but
    // never another account's rows while the switched-to account's load.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === accountId ? keepPreviousData(previous) : undefined,
    // No maxPages: dropping the first pages would shift every row's index under the virtualizer.
    // An event refetches the loaded pages one after another, each from the fresh cursor before it.
  });
}

export function useConversation(accountId: number, id: number) {
  return useQuery({
    queryKey: keys.conversation(accountId, id),
    queryFn: ({ signal }) =>
      api<Conversation>(accountPath(accountId, `/conversations/${String(id)}`), { signal }),
  });
}

export function useMessages(accountId: number, conversationId: number) {
  return useInfiniteQuery({
    queryKey: keys.messages(accountId, conversationId),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Message>>(
        withQuery(accountPath(accountId, `/conversations/${String(conversationId)}/messages`), {
          before: pageParam,
          limit: 50,
        }),
        { signal },
      ),
    initialPageParam: null as string | null,
    // Pages go back in time: "next" is the older one.
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useContact(accountId: number, contactId: number) {
  return useQuery({
    queryKey: keys.contact(accountId, contactId),
    queryFn: ({ signal }) =>
      api<Contact>(accountPath(accountId, `/contacts/${String(contactId)}`), { signal }),
  });
}

function useReference<T>(accountId: number, what: string, path: string) {
  return useQuery({
    queryKey: keys.reference(accountId, what),
    queryFn: ({ signal }) => api<Page<T>>(accountPath(accountId, path), { signal }).then((page) => page.data),
    staleTime: 60_000,
  });
}

export const useInboxes = (accountId: number) => useReference<Inbox>(accountId, 'inboxes', '/inboxes');
export const useTeams = (accountId: number) => useReference<Team>(accountId, 'teams', '/teams');
export const useLabels = (accountId: number) => useReference<Label>(accountId, 'labels', '/labels');
export const useMembers = (accountId: number) =>
  useReference<Member>(accountId, 'members', '/members?limit=100');
export const useCannedResponses = (accountId: number) =>
  useReference<CannedResponse>(accountId, 'canned', '/canned-responses');

export function useUpdateConversation(accountId: number, id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ConversationPatch) =>
      api<Conversation>(accountPath(accountId, `/conversations/${String(id)}`), {
        method: 'PATCH',
        json: patch,
      }),
    onSuccess: async (conversation) => {
      queryClient.setQueryData(keys.conversation(accountId, id), conversation);
      await queryClient.invalidateQueries({ queryKey: keys.lists(accountId) });
    },
  });
}

export function useSendMessage(accountId: number, conversationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { content: string; private: boolean; files: File[] }) => {
      const path = accountPath(accountId, `/conversations/${String(conversationId)}/messages`);
      if (input.files.length === 0) {
        return api<Message>(path, {
          method: 'POST',
          json: { content: input.content, private: input.private },
        });
      }
      const form = new FormData();
      form.set('content', input.content);
      form.set('private', String(input.private));
      for (const file of input.files) form.append('files[]', file, file.name);
      return api<Message>(path, { method: 'POST', body: form });
    },
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.messages(accountId, conversationId) }),
        queryClient.invalidateQueries({ queryKey: keys.conversation(accountId, conversationId) }),
      ]);
    },
  });
}

export function sendTyping(accountId: number, conversationId: number, typing: boolean): void {
  // Best effort: a lost typing indicator is harmless, so failures are ignored.
  api(accountPath(accountId, `/conversations/${String(conversationId)}/typing`), {
    method: 'POST',
    json: { typing },
  }).catch(() => undefined);
}
