import { and, eq } from 'drizzle-orm';
import type { TestApp } from '../app.js';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { seedTenants, setUp } from './seed-helpers.js';
import type { CorpusEntry, FaceCorpus, FuzzRequest, HttpMethod } from './types.js';

/** Valid Dixa requests for every operation of the seed, on an organization seeded through the face itself. */
export async function buildDixaCorpus(app: TestApp): Promise<FaceCorpus> {
  const t = await seedTenants(app);
  const headers = { authorization: t.home.apiKey };
  const dixa = <T>(method: HttpMethod, path: string, payload?: unknown) =>
    setUp<{ data: T }>(app, {
      method,
      url: `/dixa${path}`,
      headers,
      ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
    }).then((body) => body.data);

  const inboxUuid = async (channel: Record<string, unknown>, name: string) => {
    const { id } = await setUp<{ id: number }>(app, {
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${t.home.accountId}/inboxes`,
      headers: { api_access_token: t.home.apiKey },
      payload: { name, channel },
    });
    const [row] = await app.parley.ctx.db
      .select({ uuid: inboxes.uuid })
      .from(inboxes)
      .where(and(eq(inboxes.accountId, t.home.accountId), eq(inboxes.id, id)));
    if (!row) throw new Error('fuzz set-up: inbox not found after creating it');
    return row.uuid;
  };
  const widgetId = await inboxUuid({ type: 'web_widget', website_url: 'https://fuzz.test' }, 'Fuzz widget');
  await inboxUuid({ type: 'email', email: 'support@fuzz.test' }, 'Fuzz email');
  const agents = await dixa<{ id: string }[]>('GET', '/v1/agents');
  const agentId = agents[0]?.id ?? '';
  const spareAgent = await dixa<{ id: string }>('POST', '/v1/agents', {
    displayName: 'Spare Agent',
    email: 'spare-dixa@fuzz.test',
  });
  const endUser = await dixa<{ id: string }>('POST', '/v1/endusers', {
    displayName: 'Fuzz Customer',
    email: 'customer@fuzz.test',
    phoneNumber: '+4512345678',
  });
  const spareEndUser = await dixa<{ id: string }>('POST', '/v1/endusers', { displayName: 'Spare Customer' });
  const team = await dixa<{ id: string }>('POST', '/v1/teams', { name: 'Fuzz team' });
  const spareTeam = await dixa<{ id: string }>('POST', '/v1/teams', { name: 'Spare team' });
  const queue = await dixa<{ id: string }>('POST', '/v1/queues', {
    request: { name: 'Fuzz queue', isDefault: true, callFunctionality: false, isDoNotOfferEnabled: false },
  });
  const tag = await dixa<{ id: string }>('POST', '/v1/tags', { name: 'fuzz', color: '#00aa00' });
  const conversation = await dixa<{ id: number }>('POST', '/v1/conversations', {
    _type: 'Chat',
    requesterId: endUser.id,
    widgetId,
    message: { _type: 'Inbound', content: { _type: 'Text', value: 'Where is my parcel?' }, attachments: [] },
  });
  const messages = await dixa<{ id: string }[]>('GET', `/v1/conversations/${conversation.id}/messages`);
  const messageId = messages[0]?.id ?? '';
  const webhook = await dixa<{ id: string }>('POST', '/v1/webhooks', {
    name: 'Fuzz hook',
    url: 'https://93.184.215.14/dixa-hook',
    events: ['ConversationCreated'],
    enabled: false,
    authorization: { _type: 'NoAuth' },
  });
  const anonymization = await dixa<{ id: string }>('PATCH', `/v1/endusers/${spareEndUser.id}/anonymize`);
  const endpoints = await dixa<{ address?: string; number?: string }[]>('GET', '/v1/contact-endpoints');
  const endpointId = endpoints[0]?.address ?? endpoints[0]?.number ?? 'support@fuzz.test';

  const entry = (
    method: HttpMethod,
    route: string,
    url: string,
    body?: unknown,
    isDestructive = false,
  ): CorpusEntry => {
    const request: FuzzRequest = { method, url: `/dixa${url}`, headers, ...(body !== undefined && { body }) };
    return { route: `/dixa${route}`, request, isDestructive };
  };
  const person = {
    displayName: 'Alice Brown',
    firstName: 'Alice',
    lastName: 'Brown',
    middleNames: ['J.'],
    avatarUrl: 'http://avatar.url',
    phoneNumber: '+551155256325',
    additionalEmails: ['alice@secondary.email'],
    additionalPhoneNumbers: ['+5566778899'],
  };
  const c = `/v1/conversations/${conversation.id}`;
  const entries: CorpusEntry[] = [
    entry('GET', '/v1/agents', '/v1/agents?pageLimit=2'),
    entry('GET', '/v1/agents', `/v1/agents?email=admin%40fuzz.test`),
    entry('POST', '/v1/agents', '/v1/agents', { ...person, email: 'alice@fuzz.test' }),
    entry('POST', '/v1/agents/bulk', '/v1/agents/bulk', { data: [{ ...person, email: 'bulk@fuzz.test' }] }),
    entry('PATCH', '/v1/agents', '/v1/agents', [{ id: spareAgent.id, displayName: 'AB' }]),
    entry('PUT', '/v1/agents', '/v1/agents', [{ id: spareAgent.id, ...person }]),
    entry('GET', '/v1/agents/presence', '/v1/agents/presence'),
    entry('GET', '/v1/agents/:agentId', `/v1/agents/${agentId}`),
    entry('PATCH', '/v1/agents/:agentId', `/v1/agents/${spareAgent.id}`, { displayName: 'Patched' }),
    entry('PUT', '/v1/agents/:agentId', `/v1/agents/${spareAgent.id}`, person),
    entry('GET', '/v1/agents/:agentId/presence', `/v1/agents/${agentId}/presence`),
    entry('GET', '/v1/agents/:agentId/teams', `/v1/agents/${agentId}/teams`),
    entry('DELETE', '/v1/agents/:agentId', `/v1/agents/${spareAgent.id}`, undefined, true),
    entry('GET', '/v1/endusers', '/v1/endusers?pageLimit=2'),
    entry('GET', '/v1/endusers', '/v1/endusers?email=customer%40fuzz.test'),
    entry('POST', '/v1/endusers', '/v1/endusers', { ...person, email: 'alice@brown.com', externalId: '#1' }),
    entry('POST', '/v1/endusers/bulk', '/v1/endusers/bulk', { data: [{ ...person, email: 'b@brown.com' }] }),
    entry('PATCH', '/v1/endusers', '/v1/endusers', { data: [{ id: endUser.id, displayName: 'Renamed' }] }),
    entry('PUT', '/v1/endusers', '/v1/endusers', { data: [{ id: endUser.id, ...person }] }),
    entry('GET', '/v1/endusers/:userId', `/v1/endusers/${endUser.id}`),
    entry('PATCH', '/v1/endusers/:userId', `/v1/endusers/${endUser.id}`, { firstName: 'Al' }),
    entry('PUT', '/v1/endusers/:userId', `/v1/endusers/${endUser.id}`, person),
    entry('GET', '/v1/endusers/:userId/conversations', `/v1/endusers/${endUser.id}/conversations`),
    entry(
      'PATCH',
      '/v1/endusers/:userId/custom-attributes',
      `/v1/endusers/${endUser.id}/custom-attributes`,
      {},
    ),
    entry(
      'PATCH',
      '/v1/endusers/:userId/anonymize',
      `/v1/endusers/${spareEndUser.id}/anonymize?force=true`,
      undefined,
      true,
    ),
    entry('GET', '/v1/anonymization/request/:requestId', `/v1/anonymization/request/${anonymization.id}`),
    entry('GET', '/v1/teams', '/v1/teams'),
    entry('POST', '/v1/teams', '/v1/teams', { name: 'Team A' }),
    entry('GET', '/v1/teams/:teamId', `/v1/teams/${team.id}`),
    entry('GET', '/v1/teams/:teamId/agents', `/v1/teams/${team.id}/agents`),
    entry('PATCH', '/v1/teams/:teamId/agents', `/v1/teams/${team.id}/agents`, { agentIds: [agentId] }),
    entry('DELETE', '/v1/teams/:teamId/agents', `/v1/teams/${team.id}/agents`, { agentIds: [agentId] }, true),
    entry('GET', '/v1/teams/:teamId/presence', `/v1/teams/${team.id}/presence`),
    entry('DELETE', '/v1/teams/:teamId', `/v1/teams/${spareTeam.id}`, undefined, true),
    entry('GET', '/v1/queues', '/v1/queues'),
    entry('POST', '/v1/queues', '/v1/queues', {
      request: {
        name: 'Second queue',
        priority: 1,
        isDefault: false,
        offerTimeout: 10,
        wrapupTimeout: 10,
        offerAlgorithm: 'AllAtOnce',
        queueThresholds: { WaitingConversations: 10 },
        callFunctionality: false,
        doNotOfferTimeouts: { WidgetChat: 1 },
        isDoNotOfferEnabled: true,
      },
    }),
    entry('GET', '/v1/queues/:queueId', `/v1/queues/${queue.id}`),
    entry('GET', '/v1/queues/:queueId/members', `/v1/queues/${queue.id}/members`),
    entry('PATCH', '/v1/queues/:queueId/members', `/v1/queues/${queue.id}/members`, { agentIds: [agentId] }),
    entry(
      'DELETE',
      '/v1/queues/:queueId/members',
      `/v1/queues/${queue.id}/members`,
      { agentIds: [agentId] },
      true,
    ),
    entry('GET', '/v1/tags', '/v1/tags'),
    entry('POST', '/v1/tags', '/v1/tags', { name: 'vip', color: '#000000' }),
    entry('GET', '/v1/tags/:tagId', `/v1/tags/${tag.id}`),
    entry('PATCH', '/v1/tags/:tagId/activate', `/v1/tags/${tag.id}/activate`),
    entry('PATCH', '/v1/tags/:tagId/deactivate', `/v1/tags/${tag.id}/deactivate`, undefined, true),
    entry('POST', '/v1/conversations', '/v1/conversations', {
      _type: 'Email',
      requesterId: endUser.id,
      emailIntegrationId: 'support@fuzz.test',
      subject: 'order #123',
      language: 'en',
      message: {
        _type: 'Inbound',
        content: { _type: 'Text', value: "My order hasn't shipped" },
        attachments: [],
      },
    }),
    entry('GET', '/v1/conversations/activitylog', '/v1/conversations/activitylog?pageLimit=5'),
    entry('GET', '/v1/conversations/flows', '/v1/conversations/flows'),
    entry('GET', '/v1/conversations/:conversationId', c),
    entry('GET', '/v1/conversations/:conversationId/activitylog', `${c}/activitylog`),
    entry('GET', '/v1/conversations/:conversationId/messages', `${c}/messages`),
    entry('POST', '/v1/conversations/:conversationId/messages', `${c}/messages`, {
      _type: 'Outbound',
      agentId,
      content: { _type: 'Text', value: 'We are on it' },
      attachments: [],
    }),
    entry('GET', '/v1/conversations/:conversationId/notes', `${c}/notes`),
    entry('POST', '/v1/conversations/:conversationId/notes', `${c}/notes`, { agentId, message: 'A note' }),
    entry('POST', '/v1/conversations/:conversationId/notes/bulk', `${c}/notes/bulk`, {
      data: [{ agentId, message: 'One' }, { message: 'Two' }],
    }),
    entry('GET', '/v1/conversations/:conversationId/rating', `${c}/rating`),
    entry('GET', '/v1/conversations/:conversationId/linked', `${c}/linked`),
    entry('GET', '/v1/conversations/:conversationId/tags', `${c}/tags`),
    entry('PUT', '/v1/conversations/:conversationId/tags/:tagId', `${c}/tags/${tag.id}`),
    entry('DELETE', '/v1/conversations/:conversationId/tags/:tagId', `${c}/tags/${tag.id}`, undefined, true),
    entry('PATCH', '/v1/conversations/:conversationId/custom-attributes', `${c}/custom-attributes`, {}),
    entry('PUT', '/v1/conversations/:conversationId/claim', `${c}/claim`, { agentId, force: true }),
    entry('PUT', '/v1/conversations/:conversationId/transfer/queue', `${c}/transfer/queue`, {
      queueId: queue.id,
    }),
    entry('PUT', '/v1/conversations/:conversationId/close', `${c}/close`, { userId: agentId }, true),
    entry('PUT', '/v1/conversations/:conversationId/reopen', `${c}/reopen`, { userId: agentId }),
    entry(
      'PATCH',
      '/v1/conversations/:conversationId/messages/:messageId/anonymize',
      `${c}/messages/${messageId}/anonymize`,
      undefined,
      true,
    ),
    entry(
      'PATCH',
      '/v1/conversations/:conversationId/anonymize',
      `${c}/anonymize?force=true`,
      undefined,
      true,
    ),
    entry('GET', '/v1/contact-endpoints', '/v1/contact-endpoints'),
    entry(
      'GET',
      '/v1/contact-endpoints/:contactEndpointId',
      `/v1/contact-endpoints/${encodeURIComponent(endpointId)}`,
    ),
    entry('GET', '/v1/custom-attributes', '/v1/custom-attributes'),
    entry('GET', '/v1/search/conversations', '/v1/search/conversations?query=parcel&pageLimit=5'),
    entry('GET', '/v1/analytics/metrics', '/v1/analytics/metrics'),
    entry('GET', '/v1/analytics/metrics/:metricId', '/v1/analytics/metrics/closed_conversations'),
    entry('POST', '/v1/analytics/metrics', '/v1/analytics/metrics', {
      id: 'closed_conversations',
      filters: [{ values: ['Email'], attribute: 'channel' }],
      timezone: 'Europe/Copenhagen',
      aggregations: ['Count'],
      periodFilter: { _type: 'Preset', value: { _type: 'PreviousWeek' } },
    }),
    entry('GET', '/v1/analytics/records', '/v1/analytics/records'),
    entry('GET', '/v1/analytics/records/:recordId', '/v1/analytics/records/closed_conversations'),
    entry('POST', '/v1/analytics/records', '/v1/analytics/records?pageLimit=5', {
      id: 'closed_conversations',
      timezone: 'Europe/Copenhagen',
      periodFilter: { _type: 'Preset', value: { _type: 'PreviousWeek' } },
    }),
    entry('GET', '/v1/analytics/filter/:filterAttribute', '/v1/analytics/filter/channel'),
    entry('GET', '/v1/webhooks', '/v1/webhooks'),
    entry('POST', '/v1/webhooks', '/v1/webhooks', {
      url: 'https://93.184.215.14/dashboard',
      name: 'Dashboard Integration',
      events: ['ConversationCreated', 'ConversationClosed'],
      enabled: true,
      authorization: { _type: 'BasicAuth', password: 'webhook_password', username: 'webhook_user' },
    }),
    entry('GET', '/v1/webhooks/:webhookSubscriptionId', `/v1/webhooks/${webhook.id}`),
    entry('PATCH', '/v1/webhooks/:webhookSubscriptionId', `/v1/webhooks/${webhook.id}`, {
      name: 'New name',
      events: ['ConversationNoteAdded'],
      authorization: { _type: 'TokenAuth', value: 'secret-token' },
    }),
    entry(
      'GET',
      '/v1/webhooks/:webhookSubscriptionId/delivery-status',
      `/v1/webhooks/${webhook.id}/delivery-status`,
    ),
    entry(
      'GET',
      '/v1/webhooks/:webhookSubscriptionId/delivery-status/logs/:event',
      `/v1/webhooks/${webhook.id}/delivery-status/logs/ConversationCreated`,
    ),
    entry('DELETE', '/v1/webhooks/:webhookSubscriptionId', `/v1/webhooks/${webhook.id}`, undefined, true),
  ];
  return {
    face: 'dixa',
    entries,
    credentials: {
      header: 'authorization',
      scheme: '',
      tokens: [t.home.apiKey, t.admin.token],
      foreignTokens: [t.other.apiKey, t.outsider.token, t.agent.token, t.platformToken],
    },
    params: {
      agentId,
      userId: endUser.id,
      teamId: team.id,
      queueId: queue.id,
      tagId: tag.id,
      conversationId: String(conversation.id),
      messageId,
      webhookSubscriptionId: webhook.id,
      requestId: anonymization.id,
      metricId: 'closed_conversations',
      recordId: 'closed_conversations',
      filterAttribute: 'channel',
      contactEndpointId: endpointId,
      event: 'ConversationCreated',
    },
  };
}
