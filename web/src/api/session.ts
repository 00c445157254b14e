import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client';
import type { Me, Membership, User } from './types';

export const meKey = ['me'] as const;

/** Who the session cookie belongs to; `null` when there is no (valid) session. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api<Me>('/v1/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api<{ user: User; memberships: Membership[] }>('/v1/auth/session', { method: 'POST', json: input }),
    onSuccess: (session) => {
      // Another user's cached data must never show: start from nothing.
      queryClient.clear();
      queryClient.setQueryData<Me>(meKey, { user: session.user, memberships: session.memberships });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<undefined>('/v1/auth/session', { method: 'DELETE' }),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData<Me | null>(meKey, null);
    },
  });
}

export function displayName(user: Pick<User, 'name' | 'displayName'>): string {
  return user.displayName ?? user.name;
}
