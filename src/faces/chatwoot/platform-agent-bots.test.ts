import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { webhookSubscriptions } from '../../core/webhooks/webhooks.tables.js';
import { chatwootCaller } from './admin-test-kit.js';

describe(`Chatwoot platform agent bots (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let existing: { accountId: number; apiKey: string };
  const platform = TEST_PLATFORM_TOKEN;

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    existing = await seedAccount(app, 'Existing');
  });
  afterAll(async () => {
    await app.close();
  });

  describe('agent bots', () => {
    it('creates a shared platform bot that accounts can see and bind but not change', async () => {
      const created = await call('POST', '/platform/api/v1/agent_bots', platform, {
        name: 'Shared',
        outgoing_url: 'https://bots.platform.test/shared',
      });
      const bot = created.json<{ id: number; access_token: string }>();
      const listed = await call('GET', '/platform/api/v1/agent_bots', platform);
      const seenByAccount = await call(
        'GET',
        `/api/v1/accounts/${existing.accountId}/agent_bots/${bot.id}`,
        existing.apiKey,
      );
      const changedByAccount = await call(
        'PATCH',
        `/api/v1/accounts/${existing.accountId}/agent_bots/${bot.id}`,
        existing.apiKey,
        { name: 'Mine now' },
      );
      const inbox = await call('POST', `/api/v1/accounts/${existing.accountId}/inboxes`, existing.apiKey, {
        name: 'Bot inbox',
        channel: { type: 'api' },
      });
      const bind = await call(
        'POST',
        `/api/v1/accounts/${existing.accountId}/inboxes/${inbox.json().id}/set_agent_bot`,
        existing.apiKey,
        { agent_bot: bot.id },
      );
      const updated = await call('PATCH', `/platform/api/v1/agent_bots/${bot.id}`, platform, {
        description: 'v2',
      });

      expect(created.statusCode).toBe(200);
      expect(created.json()).toMatchObject({ name: 'Shared', system_bot: true });
      // A system bot belongs to no account; the seed's account_id is a number, so it is left out.
      expect(created.json()).not.toHaveProperty('account_id');
      expect(bot.access_token).toMatch(/^abt_/);
      expect(listed.json().map((row: { id: number }) => row.id)).toContain(bot.id);
      expect(seenByAccount.json()).toMatchObject({ id: bot.id, system_bot: true });
      expect(changedByAccount.statusCode).toBe(403);
      expect(bind.statusCode).toBe(204);
      expect(updated.json()).toMatchObject({ id: bot.id, description: 'v2', name: 'Shared' });
    });

    it('keeps one subscription per account for a shared bot and follows its URL changes and deletion', async () => {
      const other = await seedAccount(app, 'Other');
      const bot = (
        await call('POST', '/platform/api/v1/agent_bots', platform, {
          name: 'Everywhere',
          outgoing_url: 'https://bots.platform.test/one',
        })
      ).json<{ id: number }>();
      for (const account of [existing, other]) {
        const inbox = await call('POST', `/api/v1/accounts/${account.accountId}/inboxes`, account.apiKey, {
          name: 'Shared bot inbox',
          channel: { type: 'api' },
        });
        await call(
          'POST',
          `/api/v1/accounts/${account.accountId}/inboxes/${inbox.json().id}/set_agent_bot`,
          account.apiKey,
          { agent_bot: bot.id },
        );
      }
      const subscriptionsOfBot = async () => {
        const rows = await app.testDb.database.db.select().from(webhookSubscriptions);
        return rows
          .filter((row) => row.format === 'chatwoot_agent_bot' && row.options.agentBotId === bot.id)
          .map((row) => ({ accountId: row.accountId, url: row.url }))
          .sort((x, y) => x.accountId - y.accountId);
      };

      const before = await subscriptionsOfBot();
      await call('PATCH', `/platform/api/v1/agent_bots/${bot.id}`, platform, {
        outgoing_url: 'https://bots.platform.test/two',
      });
      const afterUpdate = await subscriptionsOfBot();
      await call('DELETE', `/platform/api/v1/agent_bots/${bot.id}`, platform);
      const afterDelete = await subscriptionsOfBot();
      const updateEvents = await app.testDb.database.db
        .select({ accountId: events.accountId })
        .from(events)
        .where(and(eq(events.type, 'agent_bot.updated'), eq(events.aggregateId, String(bot.id))));

      expect(before).toEqual([
        { accountId: existing.accountId, url: 'https://bots.platform.test/one' },
        { accountId: other.accountId, url: 'https://bots.platform.test/one' },
      ]);
      expect(afterUpdate.map((row) => row.url)).toEqual([
        'https://bots.platform.test/two',
        'https://bots.platform.test/two',
      ]);
      expect(afterDelete).toEqual([]);
      expect(updateEvents.map((row) => row.accountId).sort((x, y) => x - y)).toEqual([
        existing.accountId,
        other.accountId,
      ]);
    });

    it('creates a bot for one account and refuses an unknown account with 422', async () => {
      const created = await call('POST', '/platform/api/v1/agent_bots', platform, {
        name: 'Scoped',
        account_id: existing.accountId,
      });
      const missing = await call('POST', '/platform/api/v1/agent_bots', platform, {
        name: 'X',
        account_id: 999_999,
      });

      expect(created.json()).toMatchObject({ account_id: existing.accountId, system_bot: false });
      expect(missing.statusCode).toBe(422);
      expect(missing.json().errors[0].field).toBe('account_id');
    });

    it('deletes a platform bot, hides account bots from the platform, and refuses other tokens', async () => {
      const created = await call('POST', '/platform/api/v1/agent_bots', platform, { name: 'Temp' });
      const accountBot = await call(
        'POST',
        `/api/v1/accounts/${existing.accountId}/agent_bots`,
        existing.apiKey,
        {
          name: 'Account own',
        },
      );

      const deleted = await call('DELETE', `/platform/api/v1/agent_bots/${created.json().id}`, platform);
      const gone = await call('GET', `/platform/api/v1/agent_bots/${created.json().id}`, platform);
      const accountOwn = await call('GET', `/platform/api/v1/agent_bots/${accountBot.json().id}`, platform);
      const asKey = await call('GET', '/platform/api/v1/agent_bots', existing.apiKey);

      expect(deleted.statusCode).toBe(200);
      expect(gone.statusCode).toBe(404);
      expect(accountOwn.statusCode).toBe(404);
      expect(asKey.statusCode).toBe(401);
    });
  });
});
