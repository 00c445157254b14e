import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountPath, api } from '../api/client';
import type { Role } from '../api/types';

/** The settings screens' shapes (native API, see /api/docs); only the fields they show. */
export interface InboxSummary {
  id: number;
  name: string;
  channelType: string;
}

export interface InboxDetail extends InboxSummary {
  identifier: string;
  websiteUrl: string | null;
  widgetColor: string | null;
  webhookUrl: string | null;
  greetingEnabled: boolean;
  greetingMessage: string | null;
  createdAt: string;
}

export type NewInbox =
  | { channelType: 'web_widget'; name: string; websiteUrl?: string; widgetColor?: string }
  | { channelType: 'api'; name: string; webhookUrl?: string };

export interface ApiKey {
  id: number;
  name: string;
  role: Role;
  tokenPrefix: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface Member {
  userId: number;
  name: string;
  displayName: string | null;
  email: string;
  role: Role;
  availability: string;
}

export interface Invitation {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  status: string;
  expiresAt: string;
  createdAt: string;
}

interface List<T> {
  data: T[];
}

// Keys start with the account (as the inbox's do), so switching accounts never shows another's rows.
export const settingsKeys = {
  all: (accountId: number) => ['account', accountId, 'settings'] as const,
  of: (accountId: number, what: string) => ['account', accountId, 'settings', what] as const,
};

function useAccountList<T>(accountId: number, what: string, path: string) {
  return useQuery({
    queryKey: settingsKeys.of(accountId, what),
    queryFn: ({ signal }) => api<List<T>>(accountPath(accountId, path), { signal }),
    select: (page) => page.data,
  });
}

/** A write that refreshes the section's list (and the inbox screen's catalogues) afterwards. */
function useAccountWrite<Input, Output>(
  accountId: number,
  what: string,
  write: (input: Input) => Promise<Output>,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: settingsKeys.of(accountId, what) });
      await client.invalidateQueries({ queryKey: ['account', accountId, 'reference'] });
    },
  });
}

export const useInboxes = (accountId: number) =>
  useAccountList<InboxSummary>(accountId, 'inboxes', '/inboxes');

export function useInboxDetail(accountId: number, inboxId: number | null) {
  return useQuery({
    queryKey: [...settingsKeys.of(accountId, 'inboxes'), inboxId],
    queryFn: ({ signal }) =>
      api<InboxDetail>(accountPath(accountId, `/inboxes/${String(inboxId)}`), { signal }),
    enabled: inboxId !== null,
  });
}

export const useCreateInbox = (accountId: number) =>
  useAccountWrite(accountId, 'inboxes', (input: NewInbox) =>
    api<InboxDetail>(accountPath(accountId, '/inboxes'), { method: 'POST', json: input }),
  );

/** Who works a team or answers an inbox, by user id. */
interface Members {
  userIds: number[];
}

export function useInboxMembers(accountId: number, inboxId: number) {
  return useQuery({
    queryKey: [...settingsKeys.of(accountId, 'inboxes'), inboxId, 'members'],
    queryFn: ({ signal }) =>
      api<Members>(accountPath(accountId, `/inboxes/${String(inboxId)}/members`), { signal }),
  });
}

export interface InboxChanges {
  name: string;
  greetingEnabled: boolean;
  greetingMessage: string | null;
  userIds: number[];
}

/** The inbox's settings, then its agents (two calls: the settings screen saves them as one form). */
export const useUpdateInbox = (accountId: number, inboxId: number) =>
  useAccountWrite(accountId, 'inboxes', async ({ userIds, ...settings }: InboxChanges) => {
    const inbox = await api<InboxDetail>(accountPath(accountId, `/inboxes/${String(inboxId)}`), {
      method: 'PATCH',
      json: settings,
    });
    await api<Members>(accountPath(accountId, `/inboxes/${String(inboxId)}/members`), {
      method: 'PUT',
      json: { userIds },
    });
    return inbox;
  });

export const useDeleteInbox = (accountId: number) =>
  useAccountWrite(accountId, 'inboxes', (inboxId: number) =>
    api<undefined>(accountPath(accountId, `/inboxes/${String(inboxId)}`), { method: 'DELETE' }),
  );

export const useApiKeys = (accountId: number) =>
  useAccountList<ApiKey>(accountId, 'api-keys', '/api-keys?limit=200');

export const useCreateApiKey = (accountId: number) =>
  useAccountWrite(accountId, 'api-keys', (input: { name: string; role: Role }) =>
    api<ApiKey & { token: string }>(accountPath(accountId, '/api-keys'), { method: 'POST', json: input }),
  );

export const useRevokeApiKey = (accountId: number) =>
  useAccountWrite(accountId, 'api-keys', (keyId: number) =>
    api<ApiKey>(accountPath(accountId, `/api-keys/${String(keyId)}`), { method: 'DELETE' }),
  );

export const useMembers = (accountId: number) =>
  useAccountList<Member>(accountId, 'members', '/members?limit=200');

export const useInvitations = (accountId: number) =>
  useAccountList<Invitation>(accountId, 'invitations', '/invitations?status=pending&limit=200');

export const useInvite = (accountId: number) =>
  useAccountWrite(accountId, 'invitations', (input: { email: string; name?: string; role: Role }) =>
    api<Invitation & { token: string }>(accountPath(accountId, '/invitations'), {
      method: 'POST',
      json: input,
    }),
  );

export const useWithdrawInvitation = (accountId: number) =>
  useAccountWrite(accountId, 'invitations', (invitationId: number) =>
    api<undefined>(accountPath(accountId, `/invitations/${String(invitationId)}`), { method: 'DELETE' }),
  );

export const useChangeRole = (accountId: number) =>
  useAccountWrite(accountId, 'members', (input: { userId: number; role: Role }) =>
    api<Member>(accountPath(accountId, `/members/${String(input.userId)}`), {
      method: 'PATCH',
      json: { role: input.role },
    }),
  );

export const useRenameMember = (accountId: number) =>
  useAccountWrite(accountId, 'members', (input: { userId: number; displayName: string }) =>
    api<Member>(accountPath(accountId, `/members/${String(input.userId)}`), {
      method: 'PATCH',
      json: { displayName: input.displayName },
    }),
  );

export const useRemoveMember = (accountId: number) =>
  useAccountWrite(accountId, 'members', (userId: number) =>
    api<undefined>(accountPath(accountId, `/members/${String(userId)}`), { method: 'DELETE' }),
  );

export interface Team {
  id: number;
  name: string;
}

export interface LabelEntry {
  id: number;
  title: string;
  color: string | null;
  description: string | null;
  state: 'active' | 'inactive';
}

export interface CannedResponse {
  id: number;
  shortCode: string;
  content: string;
}

export const useTeams = (accountId: number) => useAccountList<Team>(accountId, 'teams', '/teams');

export const useCreateTeam = (accountId: number) =>
  useAccountWrite(accountId, 'teams', (input: { name: string; description?: string }) =>
    api<Team>(accountPath(accountId, '/teams'), { method: 'POST', json: input }),
  );

export interface TeamDetail extends Team {
  description: string | null;
}

export function useTeamDetail(accountId: number, teamId: number) {
  const key = [...settingsKeys.of(accountId, 'teams'), teamId];
  const path = accountPath(accountId, `/teams/${String(teamId)}`);
  const detail = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api<TeamDetail>(path, { signal }),
  });
  const members = useQuery({
    queryKey: [...key, 'members'],
    queryFn: ({ signal }) => api<Members>(`${path}/members`, { signal }),
  });
  return { detail, members };
}

export const useUpdateTeam = (accountId: number, teamId: number) =>
  useAccountWrite(
    accountId,
    'teams',
    async ({ userIds, ...team }: { name: string; description: string | null; userIds: number[] }) => {
      const path = accountPath(accountId, `/teams/${String(teamId)}`);
      const updated = await api<TeamDetail>(path, { method: 'PATCH', json: team });
      await api<Members>(`${path}/members`, { method: 'PUT', json: { userIds } });
      return updated;
    },
  );

export const useDeleteTeam = (accountId: number) =>
  useAccountWrite(accountId, 'teams', (teamId: number) =>
    api<undefined>(accountPath(accountId, `/teams/${String(teamId)}`), { method: 'DELETE' }),
  );

export const useLabelCatalogue = (accountId: number) =>
  useAccountList<LabelEntry>(accountId, 'labels', '/label-catalogue');

export const useCreateLabel = (accountId: number) =>
  useAccountWrite(accountId, 'labels', (input: { title: string; color?: string; description?: string }) =>
    api<LabelEntry>(accountPath(accountId, '/labels'), { method: 'POST', json: input }),
  );

export const useSetLabelState = (accountId: number) =>
  useAccountWrite(accountId, 'labels', (input: { id: number; state: LabelEntry['state'] }) =>
    api<LabelEntry>(accountPath(accountId, `/labels/${String(input.id)}`), {
      method: 'PATCH',
      json: { state: input.state },
    }),
  );

export const useUpdateLabel = (accountId: number) =>
  useAccountWrite(
    accountId,
    'labels',
    ({ id, ...changes }: { id: number; title: string; color: string | null; description: string | null }) =>
      api<LabelEntry>(accountPath(accountId, `/labels/${String(id)}`), { method: 'PATCH', json: changes }),
  );

export const useCannedResponses = (accountId: number) =>
  useAccountList<CannedResponse>(accountId, 'canned', '/canned-responses');

export const useCreateCanned = (accountId: number) =>
  useAccountWrite(accountId, 'canned', (input: { shortCode: string; content: string }) =>
    api<CannedResponse>(accountPath(accountId, '/canned-responses'), { method: 'POST', json: input }),
  );

export const useUpdateCanned = (accountId: number) =>
  useAccountWrite(accountId, 'canned', ({ id, ...changes }: CannedResponse) =>
    api<CannedResponse>(accountPath(accountId, `/canned-responses/${String(id)}`), {
      method: 'PATCH',
      json: changes,
    }),
  );

export const useDeleteCanned = (accountId: number) =>
  useAccountWrite(accountId, 'canned', (id: number) =>
    api<undefined>(accountPath(accountId, `/canned-responses/${String(id)}`), { method: 'DELETE' }),
  );

export interface Webhook {
  id: number;
  name: string | null;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  circuit: { state: 'closed' | 'open' | 'half_open'; openUntil: string | null };
  format: string;
  readOnly: boolean;
  createdAt: string;
}

export interface EventType {
  type: string;
  description: string;
}

export interface Delivery {
  id: string;
  eventType: string;
  state: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  completedAt: string | null;
}

export const useWebhooks = (accountId: number) =>
  useAccountList<Webhook>(accountId, 'webhooks', '/webhooks?limit=200');

export function useEventTypes() {
  return useQuery({
    queryKey: ['event-types'],
    queryFn: ({ signal }) => api<List<EventType>>('/v1/event-types', { signal }),
    select: (page) => page.data,
    staleTime: Infinity,
  });
}

export const useCreateWebhook = (accountId: number) =>
  useAccountWrite(accountId, 'webhooks', (input: { name?: string; url: string; events: string[] }) =>
    api<Webhook & { secret: string }>(accountPath(accountId, '/webhooks'), { method: 'POST', json: input }),
  );

export const useSetWebhookEnabled = (accountId: number) =>
  useAccountWrite(accountId, 'webhooks', (input: { id: number; enabled: boolean }) =>
    api<Webhook>(accountPath(accountId, `/webhooks/${String(input.id)}`), {
      method: 'PATCH',
      json: { enabled: input.enabled },
    }),
  );

export const useDeleteWebhook = (accountId: number) =>
  useAccountWrite(accountId, 'webhooks', (id: number) =>
    api<undefined>(accountPath(accountId, `/webhooks/${String(id)}`), { method: 'DELETE' }),
  );

export function useDeliveries(accountId: number, webhookId: number) {
  return useQuery({
    queryKey: [...settingsKeys.of(accountId, 'deliveries'), webhookId],
    queryFn: ({ signal }) =>
      api<List<Delivery>>(accountPath(accountId, `/webhooks/${String(webhookId)}/deliveries?limit=50`), {
        signal,
      }),
    select: (page) => page.data,
  });
}

export const useRedeliver = (accountId: number, webhookId: number) =>
  useAccountWrite(accountId, 'deliveries', (deliveryId: string) =>
    api<Delivery>(
      accountPath(accountId, `/webhooks/${String(webhookId)}/deliveries/${deliveryId}/redeliver`),
      { method: 'POST' },
    ),
  );

export interface CustomAttribute {
  id: number;
  model: 'contact' | 'conversation';
  key: string;
  displayName: string;
  displayType: string;
  description: string | null;
  values: string[];
}

export type NewCustomAttribute = Omit<CustomAttribute, 'id' | 'description'> & { description?: string };

export const useCustomAttributes = (accountId: number) =>
  useAccountList<CustomAttribute>(accountId, 'custom-attributes', '/custom-attributes');

export const useCreateCustomAttribute = (accountId: number) =>
  useAccountWrite(accountId, 'custom-attributes', (input: NewCustomAttribute) =>
    api<CustomAttribute>(accountPath(accountId, '/custom-attributes'), { method: 'POST', json: input }),
  );

export const useUpdateCustomAttribute = (accountId: number) =>
  useAccountWrite(
    accountId,
    'custom-attributes',
    ({
      id,
      ...changes
    }: {
      id: number;
      displayName: string;
      description: string | null;
      values?: string[];
    }) =>
      api<CustomAttribute>(accountPath(accountId, `/custom-attributes/${String(id)}`), {
        method: 'PATCH',
        json: changes,
      }),
  );

export const useDeleteCustomAttribute = (accountId: number) =>
  useAccountWrite(accountId, 'custom-attributes', (id: number) =>
    api<undefined>(accountPath(accountId, `/custom-attributes/${String(id)}`), { method: 'DELETE' }),
  );
