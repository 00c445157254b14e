import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountPath, api, withQuery } from '../api/client';
import { presenceKeys, type AgentPresence } from './presence';

/** The queues screen's shapes (native API, see /api/docs); only the fields it shows. */
export const offeringAlgorithms = [
  'AllAtOnce',
  'OneAtATimeRandom',
  'LongestIdle',
  'AgentPriorityAllAtOnce',
  'AgentPriorityOneAtATimeRandom',
  'AgentPriorityLongestIdle',
] as const;
export type OfferingAlgorithm = (typeof offeringAlgorithms)[number];

export interface QueueLive {
  waiting: number;
  offered: number;
  longestWaitSeconds: number;
  members: number;
  membersOnline: number;
  membersWorking: number;
}

export interface Queue {
  id: number;
  name: string;
  isDefault: boolean;
  offeringAlgorithm: OfferingAlgorithm;
  offerTimeout: number;
  wrapupTimeout: number | null;
  priority: number | null;
  slaTimeLimit: number | null;
  live: QueueLive;
  updatedAt: string;
}

export interface QueueSettings {
  name: string;
  offeringAlgorithm: OfferingAlgorithm;
  offerTimeout: number;
  wrapupTimeout: number | null;
  priority: number | null;
}

export interface QueueMember {
  userId: number;
  name: string;
  displayName: string | null;
  email: string;
  priority: number;
  connectionStatus: 'Online' | 'Offline';
  presenceStatus: 'Working' | 'Away' | null;
}

interface List<T> {
  data: T[];
}

interface PresencePage {
  data: AgentPresence[];
  nextCursor: number | null;
}

export const queueKeys = {
  all: (accountId: number) => ['account', accountId, 'queues'] as const,
  list: (accountId: number) => ['account', accountId, 'queues', 'list'] as const,
  one: (accountId: number, queueId: number) => ['account', accountId, 'queues', 'one', queueId] as const,
  members: (accountId: number, queueId: number) =>
    ['account', accountId, 'queues', 'members', queueId] as const,
};

/*
 * Real-time events (routing, presence) refresh these at once (realtime/events.ts); the interval
 * catches what has no event, such as another administrator's change of settings.
 */
const REFRESH_MS = 20_000;
const queuesPath = (accountId: number, path = '') => accountPath(accountId, `/routing-queues${path}`);

export function useQueues(accountId: number) {
  return useQuery({
    queryKey: queueKeys.list(accountId),
    queryFn: ({ signal }) => api<List<Queue>>(queuesPath(accountId), { signal }),
    select: (list) => list.data,
    refetchInterval: REFRESH_MS,
  });
}

export function useQueue(accountId: number, queueId: number) {
  return useQuery({
    queryKey: queueKeys.one(accountId, queueId),
    queryFn: ({ signal }) => api<Queue>(queuesPath(accountId, `/${String(queueId)}`), { signal }),
    refetchInterval: REFRESH_MS,
  });
}

export function useQueueMembers(accountId: number, queueId: number) {
  return useQuery({
    queryKey: queueKeys.members(accountId, queueId),
    queryFn: ({ signal }) =>
      api<List<QueueMember>>(queuesPath(accountId, `/${String(queueId)}/members`), { signal }),
    select: (list) => list.data,
    refetchInterval: REFRESH_MS,
  });
}

/** Every agent's presence: pages of 200 walked to the end (accounts have tens to hundreds). */
export function usePresenceList(accountId: number) {
  return useQuery({
    queryKey: presenceKeys.list(accountId),
    queryFn: async ({ signal }) => {
      const rows: AgentPresence[] = [];
      let cursor: number | null = null;
      do {
        const page: PresencePage = await api<PresencePage>(
          withQuery(accountPath(accountId, '/presence'), { limit: 200, cursor }),
          { signal },
        );
        rows.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor !== null);
      return rows;
    },
    refetchInterval: REFRESH_MS,
  });
}

/** A write on queues: every queue figure on screen is refetched afterwards. */
function useQueueWrite<Input, Output>(accountId: number, write: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: queueKeys.all(accountId) });
    },
  });
}

export const useCreateQueue = (accountId: number) =>
  useQueueWrite(accountId, (input: { name: string; offeringAlgorithm: OfferingAlgorithm }) =>
    api<Queue>(queuesPath(accountId), { method: 'POST', json: input }),
  );

export const useUpdateQueue = (accountId: number, queueId: number) =>
  useQueueWrite(accountId, (settings: Partial<QueueSettings>) =>
    api<Queue>(queuesPath(accountId, `/${String(queueId)}`), { method: 'PATCH', json: settings }),
  );

export const useSetQueueMember = (accountId: number, queueId: number) =>
  useQueueWrite(accountId, (input: { userId: number; priority: number }) =>
    api<List<QueueMember>>(queuesPath(accountId, `/${String(queueId)}/members/${String(input.userId)}`), {
      method: 'PUT',
      json: { priority: input.priority },
    }),
  );

export const useRemoveQueueMember = (accountId: number, queueId: number) =>
  useQueueWrite(accountId, (userId: number) =>
    api<List<QueueMember>>(queuesPath(accountId, `/${String(queueId)}/members/${String(userId)}`), {
      method: 'DELETE',
    }),
  );
