import { bearer, injector, seedAccount, TEST_PLATFORM_TOKEN, type TestApp } from '../../src/testing/app.js';

/** What the browser test works with: one account's people, inbox and conversations. */
export interface Seeded {
  accountId: number;
  /** An administrator API key of the account, for seeding more. */
  apiKey: string;
  otherAccountId: number;
  admin: { userId: number; email: string; password: string; name: string };
  agent: { userId: number; email: string; password: string; name: string };
  conversations: { id: number; contactName: string }[];
  assignedToAgent: number;
}

const PASSWORD = 'correct horse battery';

/**
 * Seeds through the APIs a real deployment uses: the platform API adds people (with passwords),
 * the Chatwoot application API sets up the inbox, team and canned response (the Dixa API the label), and visitors write
 * through the Chatwoot client API, so conversations arrive exactly as they would in production.
 */
export async function seedInbox(app: TestApp, conversationCount: number): Promise<Seeded> {
  const request = injector(app);
  const acme = await seedAccount(app, 'Acme');
  const globex = await seedAccount(app, 'Globex');

  async function call<T>(
    method: 'POST' | 'GET',
    url: string,
    payload: unknown,
    headers: Record<string, string>,
  ) {
    const response = await request({ method, url, headers, payload: payload as Record<string, unknown> });
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url}: ${String(response.statusCode)} ${response.body}`);
    return response.json<T>();
  }
  const platform = bearer(TEST_PLATFORM_TOKEN);
  const adminKey = { api_access_token: acme.apiKey };
  const chatwoot = (path: string) => `/chatwoot/api/v1/accounts/${String(acme.accountId)}${path}`;

  async function person(accountId: number, name: string, email: string, role: 'administrator' | 'agent') {
    const member = await call<{ userId: number }>(
      'POST',
      `/api/v1/accounts/${String(accountId)}/members`,
      { email, name, password: PASSWORD, role },
      platform,
    );
    return { userId: member.userId, email, password: PASSWORD, name };
  }
  const admin = await person(acme.accountId, 'Ada Admin', 'ada@acme.example', 'administrator');
  const agent = await person(acme.accountId, 'Alice Agent', 'alice@acme.example', 'agent');
  // The administrator belongs to a second account too: the account switcher appears.
  await call(
    'POST',
    `/api/v1/accounts/${String(globex.accountId)}/members`,
    { userId: admin.userId, role: 'agent' },
    platform,
  );

  const inbox = await call<{ id: number; inbox_identifier: string }>(
    'POST',
    chatwoot('/inboxes'),
    { name: 'Website', channel: { type: 'api' } },
    adminKey,
  );
  await call(
    'POST',
    chatwoot('/inbox_members'),
    { inbox_id: inbox.id, user_ids: [admin.userId, agent.userId] },
    adminKey,
  );
  await call('POST', chatwoot('/teams'), { name: 'Billing' }, adminKey);
  await call(
    'POST',
    chatwoot('/canned_responses'),
    { short_code: 'thanks', content: 'Thank you for writing to us!' },
    adminKey,
  );
  // The Chatwoot face creates labels only by tagging; the Dixa face has a tag catalogue.
  await call('POST', '/dixa/v1/tags', { name: 'vip', color: '#c2185b' }, { authorization: acme.apiKey });

  const client = `/chatwoot/public/api/v1/inboxes/${inbox.inbox_identifier}`;
  const conversations: Seeded['conversations'] = [];
  for (let index = 0; index < conversationCount; index += 1) {
    const contactName = `Visitor ${String(index + 1).padStart(2, '0')}`;
    const contact = await call<{ source_id: string }>(
      'POST',
      `${client}/contacts`,
      { name: contactName },
      {},
    );
    const visitor = `${client}/contacts/${contact.source_id}`;
    const conversation = await call<{ id: number }>('POST', `${visitor}/conversations`, {}, {});
    await call(
      'POST',
      `${visitor}/conversations/${String(conversation.id)}/messages`,
      { content: `Question number ${String(index + 1)}` },
      {},
    );
    conversations.push({ id: conversation.id, contactName });
  }
  // The Chatwoot ids above are display ids; the native API (and the app's URLs) use ids.
  const native = await call<{ data: { id: number; displayId: number; contact: { name: string } }[] }>(
    'GET',
    `/api/v1/accounts/${String(acme.accountId)}/conversations?tab=all&limit=100`,
    undefined,
    bearer(acme.apiKey),
  );
  const byName = new Map(native.data.map((row) => [row.contact.name, row]));
  const withIds = conversations.map((row) => ({
    contactName: row.contactName,
    id: byName.get(row.contactName)?.id ?? -1,
  }));

  // Two conversations are the agent's own, for the "mine" tab.
  const assignedToAgent = 2;
  for (const row of conversations.slice(0, assignedToAgent)) {
    await call(
      'POST',
      chatwoot(`/conversations/${String(row.id)}/assignments`),
      { assignee_id: agent.userId },
      adminKey,
    );
  }
  return {
    accountId: acme.accountId,
    apiKey: acme.apiKey,
    otherAccountId: globex.accountId,
    admin,
    agent,
    conversations: withIds,
    assignedToAgent,
  };
}
