import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { accountPath, api, withQuery } from '../api/client';
import { keys } from '../api/inbox';
import type { Contact } from '../api/types';

export interface ContactPatch {
  name?: string;
  email?: string | null;
  phoneNumber?: string | null;
  identifier?: string | null;
  customAttributes?: Record<string, unknown>;
  labels?: string[];
}

interface ContactPage {
  data: Contact[];
  nextCursor: string | null;
}

const PAGE_SIZE = 50;

/** Contacts newest first, a keyset page at a time; `q` searches, `label` filters. */
export function useContactList(accountId: number, filters: { q: string; label: string }) {
  return useInfiniteQuery({
    queryKey: ['account', accountId, 'contacts', filters],
    queryFn: ({ pageParam, signal }) =>
      api<ContactPage>(
        withQuery(accountPath(accountId, '/contacts'), { ...filters, limit: PAGE_SIZE, cursor: pageParam }),
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

function useContactMutation<T>(accountId: number, contactId: number, send: (input: T) => Promise<Contact>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.contact(accountId, contactId) }),
        queryClient.invalidateQueries({ queryKey: ['account', accountId, 'contacts'] }),
        // Conversations show the contact's name: refresh them too.
        queryClient.invalidateQueries({ queryKey: keys.lists(accountId) }),
      ]);
    },
  });
}

export function useUpdateContact(accountId: number, contactId: number) {
  return useContactMutation(accountId, contactId, (patch: ContactPatch) =>
    api<Contact>(accountPath(accountId, `/contacts/${String(contactId)}`), { method: 'PATCH', json: patch }),
  );
}

export function useMergeContact(accountId: number, contactId: number) {
  return useContactMutation(accountId, contactId, (mergeeId: number) =>
    api<Contact>(accountPath(accountId, `/contacts/${String(contactId)}/merge`), {
      method: 'POST',
      json: { mergeeId },
    }),
  );
}
