import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountPath, api } from '../api/client';

/**
 * Presence (native API `/presence`): kept apart from the queues screen's module because the shell's
 * Working/Away switch needs it on every screen, and the queues screen is a lazy chunk.
 */
export type PresenceStatus = 'Working' | 'Away';

export interface AgentPresence {
  userId: number;
  name: string;
  displayName: string | null;
  email: string;
  role: 'administrator' | 'agent';
  connectionStatus: 'Online' | 'Offline';
  presenceStatus: PresenceStatus | null;
  lastSeenAt: string | null;
}

// Keys start with the account (as the inbox's do), so switching accounts never shows another's rows.
export const presenceKeys = {
  all: (accountId: number) => ['account', accountId, 'presence'] as const,
  list: (accountId: number) => ['account', accountId, 'presence', 'list'] as const,
  own: (accountId: number) => ['account', accountId, 'presence', 'me'] as const,
};

export function useOwnPresence(accountId: number) {
  return useQuery({
    queryKey: presenceKeys.own(accountId),
    queryFn: ({ signal }) => api<AgentPresence>(accountPath(accountId, '/presence/me'), { signal }),
  });
}

export function useSetOwnPresence(accountId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (presenceStatus: PresenceStatus) =>
      api<AgentPresence>(accountPath(accountId, '/presence/me'), {
        method: 'PUT',
        json: { presenceStatus },
      }),
    onSuccess: async (presence) => {
      client.setQueryData(presenceKeys.own(accountId), presence);
      await client.invalidateQueries({ queryKey: presenceKeys.list(accountId) });
    },
  });
}
