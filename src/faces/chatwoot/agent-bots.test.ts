import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { webhookSubscriptions } from '../../core/webhooks/webhooks.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot agent bots (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'agent@acme.test' });
  });
  afterAll(async () => {
    await app.close();
  });

  const botsUrl = (accountId: number) => `/api/v1/accounts/${accountId}/agent_bots`;
  const botSubscriptions = (accountId: number) =>
    app.testDb.database.db
      .select()
      .from(webhookSubscriptions)
      .where(
        and(
          eq(webhookSubscriptions.accountId, accountId),
          eq(webhookSubscriptions.format, 'chatwoot_agent_bot'),
        ),
      );

  async function createBot(accountId: number, key: string, body: Record<string, unknown>) {
    const response = await call('POST', botsUrl(accountId), key, body);
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number; access_token: string; outgoing_url: string }>();
  }

  async function createInbox(accountId: number, key: string, name: string): Promise<number> {
    const response = await call('POST', `/api/v1/accounts/${accountId}/inboxes`, key, {
      name,
      channel: { type: 'api' },
    });
    return response.json<{ id: number }>().id;
  }

  it('creates a bot with the seed fields and shows its access token only on creation', async () => {
    const created = await call('POST', botsUrl(a.accountId), a.apiKey, {
      name: 'Triage',
      description: 'Sorts questions',
      outgoing_url: 'https://bots.acme.test/triage',
      bot_type: 0,
      bot_config: { language: 'en' },
    });
    const fetched = await call('GET', `${botsUrl(a.accountId)}/${created.json().id}`, a.apiKey);

    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({
      id: expect.any(Number),
      name: 'Triage',
      description: 'Sorts questions',
      thumbnail: '',
      outgoing_url: 'https://bots.acme.test/triage',
      bot_type: 'webhook',
      bot_config: { language: 'en' },
      account_id: a.accountId,
      access_token: expect.stringMatching(/^abt_/),
      system_bot: false,
    });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).not.toHaveProperty('access_token');
    expect(fetched.json().name).toBe('Triage');
  });

  it("authenticates the bot's access token as the bot on the Chatwoot API", async () => {
    const bot = await createBot(a.accountId, a.apiKey, { name: 'Token bot' });

    const asBot = await call('GET', botsUrl(a.accountId), bot.access_token);

    // Chatwoot refuses bot tokens on administration endpoints, which proves the token resolved to a bot.
    expect(asBot.statusCode).toBe(401);
    expect(asBot.json().description).toBe('Agent bot tokens cannot call this endpoint');
  });

  it('lists, updates and deletes bots; writes need an administrator', async () => {
    const bot = await createBot(a.accountId, a.apiKey, { name: 'Editable' });

    const byAgent = await call('PATCH', `${botsUrl(a.accountId)}/${bot.id}`, agent.token, { name: 'No' });
    const listAsAgent = await call('GET', botsUrl(a.accountId), agent.token);
    const updated = await call('PATCH', `${botsUrl(a.accountId)}/${bot.id}`, a.apiKey, {
      name: 'Edited',
      outgoing_url: 'https://bots.acme.test/edited',
    });
    const deleted = await call('DELETE', `${botsUrl(a.accountId)}/${bot.id}`, a.apiKey);
    const gone = await call('GET', `${botsUrl(a.accountId)}/${bot.id}`, a.apiKey);

    expect(byAgent.statusCode).toBe(403);
    expect(listAsAgent.statusCode).toBe(200);
    expect(listAsAgent.json().some((row: { id: number }) => row.id === bot.id)).toBe(true);
    expect(updated.json()).toMatchObject({ name: 'Edited', outgoing_url: 'https://bots.acme.test/edited' });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.body).toBe('');
    expect(gone.statusCode).toBe(404);
  });

  it('refuses a bot without a name or with a bad URL with 422', async () => {
    const noName = await call('POST', botsUrl(a.accountId), a.apiKey, { outgoing_url: 'https://x.test' });
    const badUrl = await call('POST', botsUrl(a.accountId), a.apiKey, { name: 'Bad', outgoing_url: 'nope' });

    expect(noName.statusCode).toBe(422);
    expect(noName.json().errors[0]).toMatchObject({ field: 'name', code: 'validation_failed' });
    expect(badUrl.statusCode).toBe(422);
    expect(badUrl.json().errors).toEqual([
      { field: 'outgoing_url', message: 'is invalid', code: 'validation_failed' },
    ]);
  });

  it("keeps another account's bots invisible (404) and unbindable", async () => {
    const bot = await createBot(a.accountId, a.apiKey, { name: 'Private bot' });
    const inboxB = await createInbox(b.accountId, b.apiKey, 'B inbox');

    const get = await call('GET', `${botsUrl(b.accountId)}/${bot.id}`, b.apiKey);
    const del = await call('DELETE', `${botsUrl(b.accountId)}/${bot.id}`, b.apiKey);
    const list = await call('GET', botsUrl(b.accountId), b.apiKey);
    const bind = await call(
      'POST',
      `/api/v1/accounts/${b.accountId}/inboxes/${inboxB}/set_agent_bot`,
      b.apiKey,
      {
        agent_bot: bot.id,
      },
    );

    expect(get.statusCode).toBe(404);
    expect(del.statusCode).toBe(404);
    expect(list.json().some((row: { id: number }) => row.id === bot.id)).toBe(false);
    expect(bind.statusCode).toBe(404);
    expect(bind.json().description).toBe('Agent bot not found');
  });

  it('binds a bot to inboxes and keeps one subscription per account listing its inboxes', async () => {
    const bot = await createBot(a.accountId, a.apiKey, {
      name: 'Router',
      outgoing_url: 'https://bots.acme.test/r',
    });
    const first = await createInbox(a.accountId, a.apiKey, 'First');
    const second = await createInbox(a.accountId, a.apiKey, 'Second');
    const setBot = (inboxId: number, agentBot: number | null) =>
      call('POST', `/api/v1/accounts/${a.accountId}/inboxes/${inboxId}/set_agent_bot`, a.apiKey, {
        agent_bot: agentBot,
      });
    const forBot = async () =>
      (await botSubscriptions(a.accountId)).filter((row) => row.options.agentBotId === bot.id);

    const none = await call('GET', `/api/v1/accounts/${a.accountId}/inboxes/${first}/agent_bot`, a.apiKey);
    const bound = await setBot(first, bot.id);
    await setBot(second, bot.id);
    const shown = await call('GET', `/api/v1/accounts/${a.accountId}/inboxes/${first}/agent_bot`, a.apiKey);
    const afterBoth = await forBot();
    await call('PATCH', `${botsUrl(a.accountId)}/${bot.id}`, a.apiKey, {
      outgoing_url: 'https://bots.acme.test/r2',
    });
    const afterUrlChange = await forBot();
    await setBot(first, null);
    const afterUnbind = await forBot();
    await setBot(second, null);
    const afterAllUnbound = await forBot();

    expect(none.statusCode).toBe(204);
    expect(bound.statusCode).toBe(204);
    expect(shown.json()).toMatchObject({ id: bot.id, name: 'Router' });
    expect(afterBoth).toEqual([
      expect.objectContaining({
        url: 'https://bots.acme.test/r',
        options: { agentBotId: bot.id, inboxIds: [first, second] },
      }),
    ]);
    expect(afterUrlChange.map((row) => row.url)).toEqual(['https://bots.acme.test/r2']);
    expect(afterUnbind.map((row) => row.options)).toEqual([{ agentBotId: bot.id, inboxIds: [second] }]);
    expect(afterAllUnbound).toEqual([]);
  });

  it('drops the subscription and unbinds inboxes when a bound bot is deleted', async () => {
    const bot = await createBot(a.accountId, a.apiKey, {
      name: 'Doomed',
      outgoing_url: 'https://bots.acme.test/d',
    });
    const inbox = await createInbox(a.accountId, a.apiKey, 'Doomed inbox');
    await call('POST', `/api/v1/accounts/${a.accountId}/inboxes/${inbox}/set_agent_bot`, a.apiKey, {
      agent_bot: bot.id,
    });
    const before = (await botSubscriptions(a.accountId)).filter((row) => row.options.agentBotId === bot.id);

    await call('DELETE', `${botsUrl(a.accountId)}/${bot.id}`, a.apiKey);
    const after = (await botSubscriptions(a.accountId)).filter((row) => row.options.agentBotId === bot.id);
    const botOfInbox = await call(
      'GET',
      `/api/v1/accounts/${a.accountId}/inboxes/${inbox}/agent_bot`,
      a.apiKey,
    );

    expect(before).toHaveLength(1);
    expect(after).toEqual([]);
    expect(botOfInbox.statusCode).toBe(204);
  });

  it('records agent bot events', async () => {
    const bot = await createBot(a.accountId, a.apiKey, { name: 'Evented bot' });
    await call('PATCH', `${botsUrl(a.accountId)}/${bot.id}`, a.apiKey, { name: 'Evented bot 2' });
    await call('DELETE', `${botsUrl(a.accountId)}/${bot.id}`, a.apiKey);

    const rows = await app.testDb.database.db
      .select({ type: events.type })
      .from(events)
      .where(
        and(
          eq(events.accountId, a.accountId),
          eq(events.aggregateType, 'agent_bot'),
          eq(events.aggregateId, String(bot.id)),
        ),
      );

    expect(rows.map((row) => row.type)).toEqual([
      'agent_bot.created',
      'agent_bot.updated',
      'agent_bot.deleted',
    ]);
  });
});
