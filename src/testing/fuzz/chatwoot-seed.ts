import { randomUUID } from 'node:crypto';
import type { TestApp } from '../app.js';
import { seedTenants, setUp } from './seed-helpers.js';
import type { CorpusEntry, FuzzRequest, HttpMethod } from './types.js';

export const HOOK = 'https://93.184.215.14/chatwoot';

/** An account seeded through the Chatwoot face itself, so every id a corpus request names is real. */
export async function seedChatwoot(app: TestApp) {
  const t = await seedTenants(app);
  const a = t.home.accountId;
  const token = { api_access_token: t.admin.token };
  const platformHeaders = { api_access_token: t.platformToken };
  const base = `/chatwoot/api/v1/accounts/${a}`;
  const post = <T>(url: string, payload: unknown, headers: Record<string, string> = token) =>
    setUp<T>(app, { method: 'POST', url, headers, payload: payload as Record<string, unknown> });

  const inbox = await post<{ id: number; inbox_identifier: string }>(`${base}/inboxes`, {
    name: 'Fuzz API',
    channel: { type: 'api', webhook_url: '' },
  });
  const spareInbox = await post<{ id: number }>(`${base}/inboxes`, {
    name: 'Spare',
    channel: { type: 'api' },
  });
  const spareInbox2 = await post<{ id: number }>(`${base}/inboxes`, {
    name: 'Spare 2',
    channel: { type: 'api' },
  });
  const widget = await post<{ id: number; website_token: string }>(`${base}/inboxes`, {
    name: 'Fuzz widget',
    channel: { type: 'web_widget', website_url: 'https://example.com' },
  });
  const contact = await post<{ id: number }>(`${base}/contacts`, {
    name: 'Jane Fuzz',
    email: 'jane@fuzz.test',
    phone_number: '+33612345678',
    inbox_id: inbox.id,
  });
  const spareContact = await post<{ id: number }>(`${base}/contacts`, { name: 'Spare' });
  const mergee = await post<{ id: number }>(`${base}/contacts`, { name: 'Mergee' });
  const conversation = await post<{ id: number }>(`${base}/conversations`, {
    source_id: randomUUID(),
    inbox_id: inbox.id,
    contact_id: contact.id,
  });
  const conv = `${base}/conversations/${conversation.id}`;
  const message = await post<{ id: number }>(`${conv}/messages`, { content: 'hello' });
  const spareMessage = await post<{ id: number }>(`${conv}/messages`, { content: 'to delete' });
  const team = await post<{ id: number }>(`${base}/teams`, { name: 'Fuzz team' });
  const spareTeam = await post<{ id: number }>(`${base}/teams`, { name: 'Spare team' });
  const canned = await post<{ id: number }>(`${base}/canned_responses`, {
    short_code: 'hi',
    content: 'Hello!',
  });
  const spareCanned = await post<{ id: number }>(`${base}/canned_responses`, {
    short_code: 'bye',
    content: 'Bye',
  });
  const attribute = await post<{ id: number }>(`${base}/custom_attribute_definitions`, {
    attribute_display_name: 'Plan',
    attribute_display_type: 'list',
    attribute_key: 'plan',
    attribute_values: ['free', 'pro'],
    attribute_model: 'contact_attribute',
  });
  const spareAttribute = await post<{ id: number }>(`${base}/custom_attribute_definitions`, {
    attribute_display_name: 'Spare',
    attribute_display_type: 'number',
    attribute_key: 'spare',
    attribute_model: 'conversation_attribute',
  });
  const filterQuery = {
    payload: [
      { attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: null },
    ],
  };
  const filter = await post<{ id: number }>(`${base}/custom_filters`, {
    name: 'Open',
    type: 'conversation',
    query: filterQuery,
  });
  const contactQuery = {
    payload: [{ attribute_key: 'name', filter_operator: 'contains', values: ['jane'], query_operator: null }],
  };
  const spareFilter = await post<{ id: number }>(`${base}/custom_filters`, {
    name: 'Spare',
    type: 'contact',
    query: contactQuery,
  });
  const webhook = await post<{ id: number }>(`${base}/webhooks`, {
    url: HOOK,
    subscriptions: ['message_created'],
  });
  const spareWebhook = await post<{ id: number }>(`${base}/webhooks`, { url: `${HOOK}/spare` });
  const bot = await post<{ id: number }>(`${base}/agent_bots`, { name: 'Fuzz bot', outgoing_url: HOOK });
  const spareBot = await post<{ id: number }>(`${base}/agent_bots`, { name: 'Spare bot' });
  const platform = '/chatwoot/platform/api/v1';
  const platformAccount = await post<{ id: number }>(
    `${platform}/accounts`,
    { name: 'Platform fuzz' },
    platformHeaders,
  );
  const spareAccount = await post<{ id: number }>(
    `${platform}/accounts`,
    { name: 'Spare account' },
    platformHeaders,
  );
  const platformUser = await post<{ id: number }>(
    `${platform}/users`,
    { name: 'Platform user', email: 'platform-user@fuzz.test', password: 'Password1!long' },
    platformHeaders,
  );
  const spareUser = await post<{ id: number }>(
    `${platform}/users`,
    { name: 'Spare user', email: 'spare-user@fuzz.test', password: 'Password1!long' },
    platformHeaders,
  );
  const platformBot = await post<{ id: number }>(
    `${platform}/agent_bots`,
    { name: 'Platform bot' },
    platformHeaders,
  );
  const sparePlatformBot = await post<{ id: number }>(
    `${platform}/agent_bots`,
    { name: 'Spare bot' },
    platformHeaders,
  );
  const pub = `/chatwoot/public/api/v1/inboxes/${inbox.inbox_identifier}`;
  const visitor = await post<{ source_id: string }>(
    `${pub}/contacts`,
    { name: 'Visitor', email: 'visitor@fuzz.test' },
    {},
  );
  const visitorPath = `${pub}/contacts/${visitor.source_id}`;
  const publicConversation = await post<{ id: number }>(`${visitorPath}/conversations`, {}, {});
  const publicConv = `${visitorPath}/conversations/${publicConversation.id}`;
  const publicMessage = await post<{ id: number }>(
    `${publicConv}/messages`,
    { content: 'hi from the widget' },
    {},
  );
  const widgetPub = `/chatwoot/public/api/v1/inboxes/${widget.website_token}`;
  const widgetVisitor = await post<{ source_id: string }>(
    `${widgetPub}/contacts`,
    { name: 'Widget visitor' },
    {},
  );

  return {
    t,
    a,
    token,
    platformHeaders,
    base,
    inbox,
    spareInbox,
    spareInbox2,
    widget,
    contact,
    spareContact,
    mergee,
    conversation,
    conv,
    message,
    spareMessage,
    team,
    spareTeam,
    canned,
    spareCanned,
    attribute,
    spareAttribute,
    filterQuery,
    filter,
    contactQuery,
    spareFilter,
    webhook,
    spareWebhook,
    bot,
    spareBot,
    platform,
    platformAccount,
    spareAccount,
    platformUser,
    spareUser,
    platformBot,
    sparePlatformBot,
    pub,
    visitor,
    visitorPath,
    publicConversation,
    publicConv,
    publicMessage,
    widgetPub,
    widgetVisitor,
  };
}
export type ChatwootSeed = Awaited<ReturnType<typeof seedChatwoot>>;

/** Builders shared by the Chatwoot corpus files: an entry with the admin's token by default, and route templates. */
export function corpusKit(seed: ChatwootSeed) {
  const { token, platformHeaders } = seed;
  const entry = (
    method: HttpMethod,
    route: string,
    url: string,
    body?: unknown,
    options: { headers?: Record<string, string>; isDestructive?: boolean } = {},
  ): CorpusEntry => {
    const request: FuzzRequest = {
      method,
      url,
      headers: options.headers ?? token,
      ...(body !== undefined && { body }),
    };
    return { route, request, isDestructive: options.isDestructive ?? false };
  };
  const destroy = { isDestructive: true };
  const asPlatform = { headers: platformHeaders };
  const asPublic = { headers: {} };
  const acc = '/chatwoot/api/v1/accounts/:account_id';
  const convRoute = `${acc}/conversations/:conversation_id`;
  const pubRoute = '/chatwoot/public/api/v1/inboxes/:inbox_identifier';
  const visitorRoute = `${pubRoute}/contacts/:contact_identifier`;
  const publicConvRoute = `${visitorRoute}/conversations/:conversation_id`;
  return { entry, destroy, asPlatform, asPublic, acc, convRoute, pubRoute, visitorRoute, publicConvRoute };
}
export type CorpusKit = ReturnType<typeof corpusKit>;
