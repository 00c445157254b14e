import type { TestApp } from '../app.js';
import { TEST_PLATFORM_TOKEN, bearer, seedModjoCall, seedTenants, setUp } from './seed-helpers.js';
import { invitationEntries, seedInvitations } from './native-invitations.js';
import type { CorpusEntry, FaceCorpus, FuzzRequest, HttpMethod } from './types.js';

/** Valid requests for every native route, on an account seeded through the API. */
export async function buildNativeCorpus(app: TestApp): Promise<FaceCorpus> {
  const t = await seedTenants(app);
  const a = t.home.accountId;
  const base = `/api/v1/accounts/${a}`;
  const admin = bearer(t.admin.token);
  const key = bearer(t.home.apiKey);
  const platform = bearer(t.platformToken);

  const spareKey = await setUp<{ id: number }>(app, {
    method: 'POST',
    url: `${base}/api-keys`,
    headers: key,
    payload: { name: 'spare', role: 'agent' },
  });
  const spareToken = await setUp<{ id: number }>(app, {
    method: 'POST',
    url: '/api/v1/me/tokens',
    headers: bearer(t.spare.token),
    payload: { name: 'spare' },
  });
  const webhook = await setUp<{ id: number }>(app, {
    method: 'POST',
    url: `${base}/webhooks`,
    headers: key,
    payload: { url: 'https://93.184.215.14/hook' },
  });
  const spareWebhook = await setUp<{ id: number }>(app, {
    method: 'POST',
    url: `${base}/webhooks`,
    headers: key,
    payload: { url: 'https://93.184.215.14/spare' },
  });
  const callId = await seedModjoCall(app, t.home.apiKey);
  const invitations = await seedInvitations(app, t);
  const events = await setUp<{ data: { id: number }[] }>(app, {
    method: 'GET',
    url: `${base}/events`,
    headers: key,
  });
  const jobs = await setUp<{ data: { id: number }[] }>(app, {
    method: 'GET',
    url: `${base}/jobs`,
    headers: key,
  });
  const eventId = events.data[0]?.id ?? 1;
  const jobId = jobs.data[0]?.id ?? 1;
  const deliveryId = await seedDelivery(app, `${base}/webhooks/${webhook.id}`, key);
  const login = { email: 'login@fuzz.test', password: 'long-enough-password' };
  const loginUser = await setUp<{ id: number }>(app, {
    method: 'POST',
    url: '/api/v1/users',
    headers: platform,
    payload: { name: 'Login', ...login },
  });
  const ssoAuthToken = await seedSsoToken(app, loginUser.id);

  const entry = (
    method: HttpMethod,
    route: string,
    url: string,
    headers: Record<string, string>,
    body?: unknown,
    isDestructive = false,
  ): CorpusEntry => {
    const request: FuzzRequest = { method, url, headers, ...(body !== undefined && { body }) };
    return { route, request, isDestructive };
  };
  const acc = '/api/v1/accounts/:accountId';
  const entries: CorpusEntry[] = [
    entry('POST', '/api/v1/auth/login', '/api/v1/auth/login', {}, login),
    entry('POST', '/api/v1/auth/sso', '/api/v1/auth/sso', {}, { email: login.email, ssoAuthToken }),
    entry('POST', '/api/v1/accounts', '/api/v1/accounts', platform, {
      name: 'Fuzz new',
      locale: 'fr',
      settings: { a: 1 },
    }),
    entry('GET', '/api/v1/accounts', '/api/v1/accounts?limit=5', admin),
    entry('GET', acc, base, key),
    entry('PATCH', acc, base, key, { name: 'Fuzz home', locale: 'en', settings: { theme: 'dark' } }),
    entry('GET', `${acc}/members`, `${base}/members?limit=10`, admin),
    entry('POST', `${acc}/members`, `${base}/members`, key, {
      email: 'new-member@fuzz.test',
      name: 'New',
      role: 'agent',
    }),
    entry('GET', `${acc}/members/:userId`, `${base}/members/${t.agent.userId}`, key),
    entry('PATCH', `${acc}/members/:userId`, `${base}/members/${t.agent.userId}`, key, {
      availability: 'busy',
    }),
    entry('DELETE', `${acc}/members/:userId`, `${base}/members/${t.spare.userId}`, key, undefined, true),
    entry('GET', `${acc}/api-keys`, `${base}/api-keys?limit=2`, key),
    entry('POST', `${acc}/api-keys`, `${base}/api-keys`, key, { name: 'ci', role: 'agent' }),
    entry('GET', `${acc}/api-keys/:keyId`, `${base}/api-keys/${spareKey.id}`, key),
    entry('DELETE', `${acc}/api-keys/:keyId`, `${base}/api-keys/${spareKey.id}`, key, undefined, true),
    entry(
      'GET',
      `${acc}/events`,
      `${base}/events?limit=3&type=contact.created&aggregateType=contact&aggregateId=1`,
      key,
    ),
    entry('GET', `${acc}/events/:eventId`, `${base}/events/${eventId}`, key),
    entry('GET', `${acc}/jobs`, `${base}/jobs?state=queued&name=calls.download`, key),
    entry('GET', `${acc}/jobs/:jobId`, `${base}/jobs/${jobId}`, key),
    entry('POST', `${acc}/jobs/:jobId/retry`, `${base}/jobs/${jobId}/retry`, key),
    entry('GET', `${acc}/webhooks`, `${base}/webhooks?format=native`, key),
    entry('POST', `${acc}/webhooks`, `${base}/webhooks`, key, {
      url: 'https://93.184.215.14/new',
      name: 'n',
      events: ['conversation.created'],
      enabled: true,
      format: 'native',
    }),
    entry('GET', `${acc}/webhooks/:webhookId`, `${base}/webhooks/${webhook.id}`, key),
    entry('PATCH', `${acc}/webhooks/:webhookId`, `${base}/webhooks/${webhook.id}`, key, {
      name: 'renamed',
      rotateSecret: true,
    }),
    entry(
      'DELETE',
      `${acc}/webhooks/:webhookId`,
      `${base}/webhooks/${spareWebhook.id}`,
      key,
      undefined,
      true,
    ),
    entry(
      'GET',
      `${acc}/webhooks/:webhookId/deliveries`,
      `${base}/webhooks/${webhook.id}/deliveries?limit=5`,
      key,
    ),
    entry(
      'GET',
      `${acc}/webhooks/:webhookId/deliveries/:deliveryId`,
      `${base}/webhooks/${webhook.id}/deliveries/${deliveryId}`,
      key,
    ),
    entry(
      'POST',
      `${acc}/webhooks/:webhookId/deliveries/:deliveryId/redeliver`,
      `${base}/webhooks/${webhook.id}/deliveries/${deliveryId}/redeliver`,
      key,
    ),
    entry('GET', `${acc}/realtime`, `${base}/realtime`, key),
    entry('GET', `${acc}/calls/:callId`, `${base}/calls/${callId}`, key),
    entry(
      'DELETE',
      `${acc}/calls/:callId/recording`,
      `${base}/calls/${callId}/recording`,
      key,
      undefined,
      true,
    ),
    entry(
      'DELETE',
      `${acc}/calls/:callId/transcript`,
      `${base}/calls/${callId}/transcript`,
      key,
      undefined,
      true,
    ),
    ...invitationEntries(t, invitations),
    entry('GET', '/api/v1/me', '/api/v1/me', admin),
    entry('GET', '/api/v1/me/tokens', '/api/v1/me/tokens', admin),
    entry('POST', '/api/v1/me/tokens', '/api/v1/me/tokens', admin, { name: 'cli' }),
    entry(
      'DELETE',
      '/api/v1/me/tokens/:tokenId',
      `/api/v1/me/tokens/${spareToken.id}`,
      bearer(t.spare.token),
      undefined,
      true,
    ),
    entry('POST', '/api/v1/users', '/api/v1/users', platform, {
      name: 'Created',
      email: 'created@fuzz.test',
      password: 'long-enough-password',
      displayName: 'C',
    }),
    entry('PATCH', '/api/v1/users/:userId', `/api/v1/users/${t.agent.userId}`, platform, {
      name: 'Agent',
      displayName: null,
    }),
    entry('GET', '/api/v1/event-types', '/api/v1/event-types', key),
    entry('GET', '/api/v1/jobs', '/api/v1/jobs?limit=5', platform),
    entry('GET', '/api/openapi.json', '/api/openapi.json', {}),
    entry('GET', '/health', '/health', {}),
    entry('GET', '/ready', '/ready', {}),
  ];
  return {
    face: 'native',
    entries,
    credentials: {
      header: 'authorization',
      scheme: 'Bearer ',
      tokens: [t.home.apiKey, t.admin.token, t.agent.token, t.platformToken],
      foreignTokens: [t.other.apiKey, t.outsider.token, t.agent.token],
    },
    params: {
      accountId: String(a),
      userId: String(t.agent.userId),
      keyId: String(spareKey.id),
      eventId: String(eventId),
      jobId: String(jobId),
      webhookId: String(webhook.id),
      deliveryId,
      callId: String(callId),
      tokenId: String(spareToken.id),
      invitationId: String(invitations.forOutsider.id),
    },
  };
}

/**
 * A delivery row to read and redeliver: the relay fans the seeded events out to the webhook (the
 * worker never runs here, so nothing is sent).
 */
async function seedDelivery(
  app: TestApp,
  webhookUrl: string,
  headers: Record<string, string>,
): Promise<string> {
  await app.parley.relay.drain();
  const page = await setUp<{ data: { id: string }[] }>(app, {
    method: 'GET',
    url: `${webhookUrl}/deliveries`,
    headers,
  });
  return page.data[0]?.id ?? '6f1c7c1e-2b5a-4f7e-9d1a-8a3b2c1d0e9f';
}

/** A single-use sign-in token, from the Chatwoot platform API's SSO link. */
async function seedSsoToken(app: TestApp, userId: number): Promise<string> {
  const { url } = await setUp<{ url: string }>(app, {
    method: 'GET',
    url: `/chatwoot/platform/api/v1/users/${userId}/login`,
    headers: bearer(TEST_PLATFORM_TOKEN),
  });
  return new URL(url).searchParams.get('sso_auth_token') ?? 'sso_none';
}
