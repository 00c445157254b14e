import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { webhookSubscriptions } from '../../core/webhooks/webhooks.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot inboxes (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };
  let otherAgent: { userId: number; token: string };
  let outsider: { userId: number; token: string };

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'agent@acme.test' });
    otherAgent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'agent2@acme.test' });
    outsider = await seedUser(app, { accountId: b.accountId, role: 'agent', email: 'agent@globex.test' });
  });
  afterAll(async () => {
    await app.close();
  });

  const db = () => app.testDb.database.db;
  const inboxesUrl = (accountId: number) => `/api/v1/accounts/${accountId}/inboxes`;
  const callbackSubscriptions = (accountId: number) =>
    db()
      .select()
      .from(webhookSubscriptions)
      .where(
        and(
          eq(webhookSubscriptions.accountId, accountId),
          eq(webhookSubscriptions.format, 'chatwoot_api_inbox'),
        ),
      );

  async function createApiInbox(name: string, webhookUrl?: string) {
    const response = await call('POST', `${inboxesUrl(a.accountId)}/`, a.apiKey, {
      name,
      channel: { type: 'api', ...(webhookUrl !== undefined && { webhook_url: webhookUrl }) },
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number; inbox_identifier: string; callback_webhook_url?: string }>();
  }

  it('creates a web widget inbox with the seed fields, a website token and an embed script', async () => {
    const response = await call('POST', `${inboxesUrl(a.accountId)}/`, a.apiKey, {
      name: 'Website',
      greeting_enabled: true,
      greeting_message: 'Hello!',
      timezone: 'Europe/Paris',
      channel: {
        type: 'web_widget',
        website_url: 'https://acme.test',
        widget_color: '#FF5733',
        welcome_title: 'Hi',
      },
    });

    expect(response.statusCode).toBe(200);
    const inbox = response.json();
    expect(inbox).toMatchObject({
      name: 'Website',
      channel_type: 'Channel::WebWidget',
      website_url: 'https://acme.test',
      widget_color: '#FF5733',
      welcome_title: 'Hi',
      greeting_enabled: true,
      greeting_message: 'Hello!',
      timezone: 'Europe/Paris',
      enable_auto_assignment: true,
      working_hours: [],
      sender_name_type: 'friendly',
    });
    expect(typeof inbox.id).toBe('number');
    expect(typeof inbox.channel_id).toBe('number');
    expect(inbox.website_token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(inbox.web_widget_script).toContain(inbox.website_token);
    expect(typeof inbox.hmac_token).toBe('string');
    expect(typeof inbox.csat_survey_enabled).toBe('boolean');
    expect(typeof inbox.auto_assignment_config).toBe('object');
  });

  it('creates an API inbox with an unguessable identifier, HMAC token, secret and callback URL', async () => {
    const first = await createApiInbox('API one', 'https://hooks.acme.test/cb');
    const second = await createApiInbox('API two');

    expect(first).toMatchObject({
      channel_type: 'Channel::Api',
      callback_webhook_url: 'https://hooks.acme.test/cb',
    });
    expect(first.inbox_identifier).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.inbox_identifier).not.toBe(second.inbox_identifier);
    // No callback URL: left out, as the seed types it a string.
    expect(second).not.toHaveProperty('callback_webhook_url');
    const subscriptions = await callbackSubscriptions(a.accountId);
    expect(subscriptions.filter((row) => row.options.inboxId === first.id)).toEqual([
      expect.objectContaining({ url: 'https://hooks.acme.test/cb', options: { inboxId: first.id } }),
    ]);
    expect(subscriptions.some((row) => row.options.inboxId === second.id)).toBe(false);
  });

  it('keeps exactly one callback subscription as the URL is changed and cleared', async () => {
    const inbox = await createApiInbox('Callback', 'https://hooks.acme.test/one');

    const changed = await call('PATCH', `${inboxesUrl(a.accountId)}/${inbox.id}`, a.apiKey, {
      channel: { webhook_url: 'https://hooks.acme.test/two' },
    });
    const forInbox = async () =>
      (await callbackSubscriptions(a.accountId)).filter((row) => row.options.inboxId === inbox.id);
    const afterChange = await forInbox();
    const renamed = await call('PATCH', `${inboxesUrl(a.accountId)}/${inbox.id}/`, a.apiKey, {
      name: 'Renamed',
    });
    const afterRename = await forInbox();
    const cleared = await call('PATCH', `${inboxesUrl(a.accountId)}/${inbox.id}`, a.apiKey, {
      channel: { webhook_url: '' },
    });

    expect(changed.statusCode).toBe(200);
    expect(changed.json().callback_webhook_url).toBe('https://hooks.acme.test/two');
    expect(afterChange.map((row) => row.url)).toEqual(['https://hooks.acme.test/two']);
    expect(renamed.json().name).toBe('Renamed');
    expect(afterRename.map((row) => row.url)).toEqual(['https://hooks.acme.test/two']);
    expect(cleared.json()).not.toHaveProperty('callback_webhook_url');
    expect(await forInbox()).toEqual([]);
  });

  it('stores working hours, auto-assignment limits and widget settings and shows them back', async () => {
    const created = await call('POST', inboxesUrl(a.accountId), a.apiKey, {
      name: 'Hours',
      channel: { type: 'web_widget', website_url: 'https://acme.test' },
    });
    const id = created.json<{ id: number }>().id;

    const updated = await call('PATCH', `${inboxesUrl(a.accountId)}/${id}`, a.apiKey, {
      working_hours_enabled: true,
      out_of_office_message: 'Back at 9',
      working_hours: [
        { day_of_week: 1, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 30 },
        { day_of_week: 0, closed_all_day: true },
      ],
      auto_assignment_config: { max_assignment_limit: 3 },
      channel: { widget_color: '#000000', welcome_tagline: 'We reply fast' },
    });

    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      working_hours_enabled: true,
      out_of_office_message: 'Back at 9',
      auto_assignment_config: { max_assignment_limit: 3 },
      website_url: 'https://acme.test',
      widget_color: '#000000',
      welcome_tagline: 'We reply fast',
      working_hours: [
        {
          day_of_week: 1,
          closed_all_day: false,
          open_all_day: false,
          open_hour: 9,
          open_minutes: 0,
          close_hour: 17,
          close_minutes: 30,
        },
        {
          day_of_week: 0,
          closed_all_day: true,
          open_all_day: false,
        },
      ],
    });
  });

  it('refuses a bad callback URL, an unknown timezone and an unsupported channel with 422, writing nothing', async () => {
    const before = await call('GET', inboxesUrl(a.accountId), a.apiKey);

    const badUrl = await call('POST', inboxesUrl(a.accountId), a.apiKey, {
      name: 'Bad',
      channel: { type: 'api', webhook_url: 'ftp://nope' },
    });
    const badZone = await call('POST', inboxesUrl(a.accountId), a.apiKey, {
      name: 'Bad',
      timezone: 'Mars/Olympus',
      channel: { type: 'api' },
    });
    const badChannel = await call('POST', inboxesUrl(a.accountId), a.apiKey, {
      name: 'Bad',
      channel: { type: 'telegram' },
    });
    const noName = await call('POST', inboxesUrl(a.accountId), a.apiKey, { channel: { type: 'api' } });
    const after = await call('GET', inboxesUrl(a.accountId), a.apiKey);

    expect(badUrl.statusCode).toBe(422);
    expect(badUrl.json()).toEqual({
      description: 'webhook_url must be an http(s) URL',
      errors: [{ field: 'channel.webhook_url', message: 'is invalid', code: 'validation_failed' }],
    });
    expect(badZone.statusCode).toBe(422);
    expect(badZone.json().errors[0].field).toBe('timezone');
    expect(badChannel.statusCode).toBe(422);
    expect(badChannel.json().errors[0].field).toBe('channel.type');
    expect(noName.statusCode).toBe(422);
    expect(noName.json().errors[0].field).toBe('name');
    expect(after.json().payload).toHaveLength(before.json().payload.length);
  });

  it('lists inboxes in a payload and shows each one; agents see only their inboxes, without secrets', async () => {
    const mine = await createApiInbox('Agent inbox');
    await call('POST', `/api/v1/accounts/${a.accountId}/inbox_members`, a.apiKey, {
      inbox_id: mine.id,
      user_ids: [agent.userId],
    });

    const asAdmin = await call('GET', `${inboxesUrl(a.accountId)}/`, a.apiKey);
    const asAgent = await call('GET', inboxesUrl(a.accountId), agent.token);
    const shown = await call('GET', `${inboxesUrl(a.accountId)}/${mine.id}/`, agent.token);
    const hidden = await call('GET', `${inboxesUrl(a.accountId)}/${mine.id}`, otherAgent.token);

    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json().payload.length).toBeGreaterThan(1);
    expect(asAgent.json().payload.map((inbox: { id: number }) => inbox.id)).toEqual([mine.id]);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ id: mine.id, name: 'Agent inbox' });
    expect(shown.json()).not.toHaveProperty('hmac_token');
    expect(shown.json()).not.toHaveProperty('secret');
    expect(hidden.statusCode).toBe(404);
  });

  it('lets only administrators create and update inboxes', async () => {
    const inbox = await createApiInbox('Admin only');

    const create = await call('POST', inboxesUrl(a.accountId), agent.token, {
      name: 'X',
      channel: { type: 'api' },
    });
    const update = await call('PATCH', `${inboxesUrl(a.accountId)}/${inbox.id}`, agent.token, { name: 'X' });

    expect(create.statusCode).toBe(403);
    expect(create.json().description).toBe('This operation needs the administrator role');
    expect(update.statusCode).toBe(403);
  });

  it('answers 401 without a token or with a wrong one, in the Chatwoot error body', async () => {
    const missing = await call('GET', inboxesUrl(a.accountId), undefined);
    const wrong = await call('GET', inboxesUrl(a.accountId), 'not-a-token');

    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({ description: expect.any(String), errors: [] });
    expect(wrong.statusCode).toBe(401);
  });

  it("answers 404 for another account's inbox and for another account's path", async () => {
    const inbox = await createApiInbox('Private');

    const get = await call('GET', `${inboxesUrl(b.accountId)}/${inbox.id}`, b.apiKey);
    const patch = await call('PATCH', `${inboxesUrl(b.accountId)}/${inbox.id}`, b.apiKey, { name: 'Stolen' });
    const otherPath = await call('GET', inboxesUrl(a.accountId), b.apiKey);
    const outsiderPath = await call('GET', inboxesUrl(a.accountId), outsider.token);
    const stillMine = await call('GET', `${inboxesUrl(a.accountId)}/${inbox.id}`, a.apiKey);

    expect(get.statusCode).toBe(404);
    expect(get.json().description).toBe('Inbox not found');
    expect(patch.statusCode).toBe(404);
    expect(otherPath.statusCode).toBe(404);
    expect(outsiderPath.statusCode).toBe(404);
    expect(stillMine.json().name).toBe('Private');
  });

  it('adds, replaces, lists and removes inbox members with agent payloads', async () => {
    const inbox = await createApiInbox('Members');
    const membersUrl = `/api/v1/accounts/${a.accountId}/inbox_members`;

    const added = await call('POST', membersUrl, a.apiKey, { inbox_id: inbox.id, user_ids: [agent.userId] });
    const replaced = await call('PATCH', membersUrl, a.apiKey, {
      inbox_id: String(inbox.id),
      user_ids: [otherAgent.userId],
    });
    const listed = await call('GET', `${membersUrl}/${inbox.id}`, agent.token);
    const removed = await call('DELETE', membersUrl, a.apiKey, {
      inbox_id: String(inbox.id),
      user_ids: [otherAgent.userId],
    });
    const empty = await call('GET', `${membersUrl}/${inbox.id}`, a.apiKey);

    expect(added.statusCode).toBe(200);
    expect(added.json().payload).toEqual([
      expect.objectContaining({
        id: agent.userId,
        account_id: a.accountId,
        email: 'agent@acme.test',
        role: 'agent',
      }),
    ]);
    expect(replaced.json().payload.map((row: { id: number }) => row.id)).toEqual([otherAgent.userId]);
    expect(listed.json().payload.map((row: { id: number }) => row.id)).toEqual([otherAgent.userId]);
    expect(removed.statusCode).toBe(200);
    expect(removed.body).toBe('');
    expect(empty.json()).toEqual({ payload: [] });
    const changes = await db()
      .select({ payload: events.payload })
      .from(events)
      .where(and(eq(events.type, 'inbox.members_changed'), eq(events.aggregateId, String(inbox.id))));
    expect(changes.map((row) => row.payload)).toEqual([
      { inboxId: inbox.id, addedUserIds: [agent.userId], removedUserIds: [], userIds: [agent.userId] },
      {
        inboxId: inbox.id,
        addedUserIds: [otherAgent.userId],
        removedUserIds: [agent.userId],
        userIds: [otherAgent.userId],
      },
      { inboxId: inbox.id, addedUserIds: [], removedUserIds: [otherAgent.userId], userIds: [] },
    ]);
  });

  it('refuses to add users who are not agents of the account with 422, adding no one', async () => {
    const inbox = await createApiInbox('Guarded members');
    const membersUrl = `/api/v1/accounts/${a.accountId}/inbox_members`;

    const response = await call('POST', membersUrl, a.apiKey, {
      inbox_id: inbox.id,
      user_ids: [agent.userId, outsider.userId],
    });
    const replace = await call('PATCH', membersUrl, a.apiKey, { inbox_id: inbox.id, user_ids: [999_999] });
    const listed = await call('GET', `${membersUrl}/${inbox.id}`, a.apiKey);

    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      description: `User ${outsider.userId} is not an agent of this account`,
      errors: [
        {
          field: 'user_ids',
          message: `${outsider.userId} not found in this account`,
          code: 'validation_failed',
        },
      ],
    });
    expect(replace.statusCode).toBe(422);
    expect(listed.json().payload).toEqual([]);
  });

  it("keeps inbox members isolated: another account's inbox is 404 and agents cannot change members", async () => {
    const inbox = await createApiInbox('Isolated members');
    const membersUrl = `/api/v1/accounts/${a.accountId}/inbox_members`;

    const foreignList = await call(
      'GET',
      `/api/v1/accounts/${b.accountId}/inbox_members/${inbox.id}`,
      b.apiKey,
    );
    const foreignAdd = await call('POST', `/api/v1/accounts/${b.accountId}/inbox_members`, b.apiKey, {
      inbox_id: inbox.id,
      user_ids: [outsider.userId],
    });
    const byAgent = await call('POST', membersUrl, agent.token, {
      inbox_id: inbox.id,
      user_ids: [agent.userId],
    });

    expect(foreignList.statusCode).toBe(404);
    expect(foreignAdd.statusCode).toBe(404);
    expect(byAgent.statusCode).toBe(403);
  });

  it('deletes an inbox with its callback subscription and bot subscription; 404 elsewhere', async () => {
    const inbox = await createApiInbox('Doomed', 'https://hooks.acme.test/doomed');
    const bot = await call('POST', `/api/v1/accounts/${a.accountId}/agent_bots`, a.apiKey, {
      name: 'Doomed bot',
      outgoing_url: 'https://bots.acme.test/doomed',
    });
    await call('POST', `${inboxesUrl(a.accountId)}/${inbox.id}/set_agent_bot`, a.apiKey, {
      agent_bot: bot.json().id,
    });

    const foreign = await call('DELETE', `${inboxesUrl(b.accountId)}/${inbox.id}`, b.apiKey);
    const byAgent = await call('DELETE', `${inboxesUrl(a.accountId)}/${inbox.id}`, agent.token);
    const deleted = await call('DELETE', `${inboxesUrl(a.accountId)}/${inbox.id}`, a.apiKey);
    const gone = await call('GET', `${inboxesUrl(a.accountId)}/${inbox.id}`, a.apiKey);
    const remaining = await db()
      .select({ options: webhookSubscriptions.options })
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.accountId, a.accountId));

    expect(foreign.statusCode).toBe(404);
    expect(byAgent.statusCode).toBe(403);
    expect(deleted.statusCode).toBe(200);
    expect(gone.statusCode).toBe(404);
    expect(remaining.some((row) => row.options.inboxId === inbox.id)).toBe(false);
    expect(remaining.some((row) => row.options.agentBotId === bot.json().id)).toBe(false);
  });

  it('records inbox events in the outbox', async () => {
    const inbox = await createApiInbox('Evented');
    await call('PATCH', `${inboxesUrl(a.accountId)}/${inbox.id}`, a.apiKey, { name: 'Evented 2' });

    const rows = await db()
      .select({ type: events.type, payload: events.payload })
      .from(events)
      .where(and(eq(events.accountId, a.accountId), eq(events.aggregateId, String(inbox.id))));

    expect(rows.map((row) => row.type)).toEqual(['inbox.created', 'inbox.updated']);
    expect(rows[1]?.payload).toMatchObject({ id: inbox.id, name: 'Evented 2', channelType: 'api' });
    expect(JSON.stringify(rows)).not.toContain('hmac');
  });
});
