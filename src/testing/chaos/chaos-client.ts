import { CHAOS_PLATFORM_TOKEN } from './parley-process.js';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** A request over a real socket; a refused or cut connection rejects, which is what a killed server gives. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Like `call`, but any answer other than 2xx is an error naming what failed. */
export async function ok<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<T> {
  const answer = await call(baseUrl, method, path, options);
  if (answer.status >= 300) {
    throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body as T;
}

/** One account with what a write burst needs: an API key, an API inbox, a contact and a conversation. */
export interface ChaosTenant {
  accountId: number;
  apiKey: string;
  inboxId: number;
  conversationId: number;
}

const platform = { authorization: `Bearer ${CHAOS_PLATFORM_TOKEN}` };

export async function createTenant(baseUrl: string, name: string): Promise<ChaosTenant> {
  const account = await ok<{ id: number }>(baseUrl, 'POST', '/api/v1/accounts', {
    headers: platform,
    body: { name },
  });
  const key = await ok<{ token: string }>(baseUrl, 'POST', `/api/v1/accounts/${account.id}/api-keys`, {
    headers: platform,
    body: { name: 'chaos' },
  });
  const headers = { api_access_token: key.token };
  const base = `/chatwoot/api/v1/accounts/${account.id}`;
  const inbox = await ok<{ id: number }>(baseUrl, 'POST', `${base}/inboxes`, {
    headers,
    body: { name: 'Chaos API inbox', channel: { type: 'api' } },
  });
  const contact = await ok<{ id: number }>(baseUrl, 'POST', `${base}/contacts`, {
    headers,
    body: { name: `Visitor of ${name}` },
  });
  const conversation = await ok<{ id: number }>(baseUrl, 'POST', `${base}/conversations`, {
    headers,
    body: { source_id: `chaos-${name}`, inbox_id: inbox.id, contact_id: contact.id },
  });
  return { accountId: account.id, apiKey: key.token, inboxId: inbox.id, conversationId: conversation.id };
}

/** Subscribes a URL to the account's new messages (Parley's own webhook format). */
export async function subscribeToMessages(
  baseUrl: string,
  tenant: ChaosTenant,
  url: string,
): Promise<number> {
  const webhook = await ok<{ id: number }>(baseUrl, 'POST', `/api/v1/accounts/${tenant.accountId}/webhooks`, {
    headers: { authorization: `Bearer ${tenant.apiKey}` },
    body: { url, events: ['message.created'] },
  });
  return webhook.id;
}

/** Posts one agent message; `echoId` makes a retry of the same write return the first one. */
export function postMessage(baseUrl: string, tenant: ChaosTenant, echoId: string): Promise<HttpAnswer> {
  return call(
    baseUrl,
    'POST',
    `/chatwoot/api/v1/accounts/${tenant.accountId}/conversations/${tenant.conversationId}/messages`,
    {
      headers: { api_access_token: tenant.apiKey },
      body: { content: `chaos write ${echoId}`, message_type: 'outgoing', echo_id: echoId },
      timeoutMs: 15_000,
    },
  );
}

interface ChatwootMessage {
  id: number;
  echo_id: string | null;
}

/** Every message of the tenant's conversation, walked page by page with Chatwoot's `before` cursor. */
export async function listMessages(baseUrl: string, tenant: ChaosTenant): Promise<ChatwootMessage[]> {
  const path = `/chatwoot/api/v1/accounts/${tenant.accountId}/conversations/${tenant.conversationId}/messages`;
  const all: ChatwootMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await ok<{ payload: ChatwootMessage[] }>(
      baseUrl,
      'GET',
      before === undefined ? path : `${path}?before=${before}`,
      { headers: { api_access_token: tenant.apiKey } },
    );
    if (page.payload.length === 0) return all;
    all.push(...page.payload);
    const oldest = Math.min(...page.payload.map((message) => message.id));
    if (before !== undefined && oldest >= before) return all;
    before = oldest;
  }
}

export interface DeliverySummary {
  state: string;
  attempts: number;
}

/** The delivery log of one subscription, as the native API shows it to the account. */
export async function listDeliveries(
  baseUrl: string,
  tenant: ChaosTenant,
  webhookId: number,
): Promise<DeliverySummary[]> {
  const page = await ok<{ data: DeliverySummary[] }>(
    baseUrl,
    'GET',
    `/api/v1/accounts/${tenant.accountId}/webhooks/${webhookId}/deliveries?limit=100`,
    { headers: { authorization: `Bearer ${tenant.apiKey}` } },
  );
  return page.data;
}
