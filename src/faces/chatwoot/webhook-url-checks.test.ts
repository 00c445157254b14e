import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { webhookSubscriptions } from '../../core/webhooks/webhooks.tables.js';
import { agentBots } from '../../core/agent-bots/agent-bots.tables.js';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { chatwootCaller } from './admin-test-kit.js';

/** Targets the delivery guard refuses; creation must refuse them too, naming the field. */
const refusedUrls = [
  'http://127.0.0.1:1/x',
  'http://169.254.169.254/latest/meta-data',
  'http://[::1]/',
  'http://10.0.0.1/',
  'http://[::ffff:127.0.0.1]/',
  'http://0x7f.1/',
  'http://localhost:1/x',
  'ftp://example.com',
  'http://user:pass@example.com/',
];

// Only 127.0.0.2 is allowlisted here, so 127.0.0.1 stays refused in the same app.
const allowlistedUrl = 'http://127.0.0.2:1/hook';
// A literal public address: accepted on its address alone, nothing is connected to.
const publicUrl = 'http://93.184.216.34/hook';

interface UrlKind {
  name: string;
  field: string;
  create(url: string): Promise<LightMyRequestResponse>;
  update(url: string): Promise<LightMyRequestResponse>;
  stored(): Promise<number>;
  storedUrl(): Promise<string | null>;
  /** The field named in the face's error body. */
  errorField(response: LightMyRequestResponse): string | undefined;
}

describe(`webhook URLs are checked at creation and update on every face (${backendName})`, () => {
  let app: TestApp;
  let a: { accountId: number; apiKey: string };
  let kinds: UrlKind[];

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.2/32'] });
    a = await seedAccount(app, 'Acme');
    kinds = await buildKinds();
  });
  afterAll(async () => {
    await app.close();
  });

  async function buildKinds(): Promise<UrlKind[]> {
    const inject = injector(app);
    const call = chatwootCaller(app);
    const db = app.testDb.database.db;
    const accountPath = `/api/v1/accounts/${a.accountId}`;
    const countOf = async (query: Promise<{ value: number }[]>) => (await query)[0]?.value ?? 0;
    const subscriptionsOf = (format: string) =>
      countOf(
        db
          .select({ value: count() })
          .from(webhookSubscriptions)
          .where(eq(webhookSubscriptions.format, format)),
      );
    const nativeField = (response: LightMyRequestResponse) => response.json().error?.details?.[0]?.path;
    const chatwootField = (response: LightMyRequestResponse) => response.json().errors?.[0]?.field;
    // One stored URL as the face shows it, picked from the GET answer by the given key.
    const urlOf = async (path: string, token: string, key: string, id?: number) => {
      const response = await inject({ method: 'GET', url: path, headers: { api_access_token: token } });
      const body: unknown = response.json();
      const item = Array.isArray(body) ? body.find((entry: { id: number }) => entry.id === id) : body;
      return ((item as Record<string, unknown> | undefined)?.[key] as string | undefined) ?? null;
    };

    const native = await inject({
      method: 'POST',
      url: `${accountPath}/webhooks`,
      headers: bearer(a.apiKey),
      payload: { url: publicUrl },
    });
    const nativeId = native.json().id as number;
    const chatwootHook = await call('POST', `${accountPath}/webhooks`, a.apiKey, { url: publicUrl });
    const chatwootHookId = chatwootHook.json().id as number;
    const inbox = await call('POST', `${accountPath}/inboxes`, a.apiKey, {
      name: 'API',
      channel: { type: 'api', webhook_url: publicUrl },
    });
    const inboxId = inbox.json().id as number;
    const bot = await call('POST', `${accountPath}/agent_bots`, a.apiKey, {
      name: 'Bot',
      outgoing_url: publicUrl,
    });
    const botId = bot.json().id as number;
    const platformBot = await call('POST', '/platform/api/v1/agent_bots', TEST_PLATFORM_TOKEN, {
      name: 'Shared bot',
      outgoing_url: publicUrl,
    });
    const platformBotId = platformBot.json().id as number;
    for (const created of [native, chatwootHook, inbox, bot, platformBot]) {
      expect(created.statusCode, created.body).toBeLessThan(300);
    }

    // Both formats are created through the native route; updates go to the existing native row.
    const nativeCase = (name: string, format: 'native' | 'modjo') => ({
      name,
      field: 'url',
      create: (url: string) =>
        inject({
          method: 'POST',
          url: `${accountPath}/webhooks`,
          headers: bearer(a.apiKey),
          payload: format === 'native' ? { url } : { url, format },
        }),
      update: (url: string) =>
        inject({
          method: 'PATCH',
          url: `${accountPath}/webhooks/${nativeId}`,
          headers: bearer(a.apiKey),
          payload: { url },
        }),
      stored: () => subscriptionsOf(format),
      storedUrl: async () =>
        (
          await inject({
            method: 'GET',
            url: `${accountPath}/webhooks/${nativeId}`,
            headers: bearer(a.apiKey),
          })
        ).json().url,
      errorField: nativeField,
    });

    return [
      nativeCase('native webhook', 'native'),
      nativeCase('Modjo webhook (native API)', 'modjo'),
      {
        name: 'Chatwoot account webhook',
        field: 'url',
        create: (url) => call('POST', `${accountPath}/webhooks`, a.apiKey, { url }),
        update: (url) => call('PATCH', `${accountPath}/webhooks/${chatwootHookId}`, a.apiKey, { url }),
        stored: () => subscriptionsOf('chatwoot'),
        storedUrl: () => urlOf(`/chatwoot${accountPath}/webhooks`, a.apiKey, 'url', chatwootHookId),
        errorField: chatwootField,
      },
      {
        name: 'Chatwoot API inbox callback',
        field: 'webhook_url',
        create: (url) =>
          call('POST', `${accountPath}/inboxes`, a.apiKey, {
            name: 'Refused',
            channel: { type: 'api', webhook_url: url },
          }),
        update: (url) =>
          call('PATCH', `${accountPath}/inboxes/${inboxId}`, a.apiKey, { channel: { webhook_url: url } }),
        stored: async () =>
          (await countOf(
            db.select({ value: count() }).from(inboxes).where(eq(inboxes.accountId, a.accountId)),
          )) + (await subscriptionsOf('chatwoot_api_inbox')),
        storedUrl: () =>
          urlOf(`/chatwoot${accountPath}/inboxes/${inboxId}`, a.apiKey, 'callback_webhook_url'),
        errorField: chatwootField,
      },
      {
        name: 'Chatwoot agent bot',
        field: 'outgoing_url',
        create: (url) =>
          call('POST', `${accountPath}/agent_bots`, a.apiKey, { name: 'Refused', outgoing_url: url }),
        update: (url) => call('PATCH', `${accountPath}/agent_bots/${botId}`, a.apiKey, { outgoing_url: url }),
        stored: () => countOf(db.select({ value: count() }).from(agentBots)),
        storedUrl: () => urlOf(`/chatwoot${accountPath}/agent_bots/${botId}`, a.apiKey, 'outgoing_url'),
        errorField: chatwootField,
      },
      {
        name: 'Chatwoot platform agent bot',
        field: 'outgoing_url',
        create: (url) =>
          call('POST', '/platform/api/v1/agent_bots', TEST_PLATFORM_TOKEN, {
            name: 'Refused',
            outgoing_url: url,
          }),
        update: (url) =>
          call('PATCH', `/platform/api/v1/agent_bots/${platformBotId}`, TEST_PLATFORM_TOKEN, {
            outgoing_url: url,
          }),
        stored: () => countOf(db.select({ value: count() }).from(agentBots)),
        storedUrl: () =>
          urlOf(`/chatwoot/platform/api/v1/agent_bots/${platformBotId}`, TEST_PLATFORM_TOKEN, 'outgoing_url'),
        errorField: chatwootField,
      },
    ];
  }

  it('refuses private, loopback, link-local, non-http and credentialed URLs on creation with a 422 naming the field, storing nothing', async () => {
    for (const kind of kinds) {
      const before = await kind.stored();
      for (const url of refusedUrls) {
        const response = await kind.create(url);

        expect(response.statusCode, `${kind.name} ${url}: ${response.body}`).toBe(422);
        expect(kind.errorField(response), `${kind.name} ${url}`).toMatch(new RegExp(`(^|\\.)${kind.field}$`));
      }
      expect(await kind.stored(), kind.name).toBe(before);
    }
  });

  it('refuses the same URLs on update and keeps the stored URL', async () => {
    for (const kind of kinds) {
      for (const url of refusedUrls) {
        const response = await kind.update(url);

        expect(response.statusCode, `${kind.name} ${url}: ${response.body}`).toBe(422);
        expect(kind.errorField(response), `${kind.name} ${url}`).toMatch(new RegExp(`(^|\\.)${kind.field}$`));
      }
      expect(await kind.storedUrl(), kind.name).toBe(publicUrl);
    }
  });

  it('says in the message which field is wrong and why', async () => {
    const [native, , chatwoot, inbox, bot] = kinds;

    const nativeAnswer = await native!.create('http://169.254.169.254/latest/meta-data');
    const inboxAnswer = await inbox!.create('http://10.0.0.1/');
    const botAnswer = await bot!.create('http://[::1]/');
    const chatwootAnswer = await chatwoot!.create('http://user:pass@example.com/');

    expect(nativeAnswer.json().error.code).toBe('validation_failed');
    expect(nativeAnswer.json().error.message).toMatch(
      /^url must not point at a private, loopback or link-local/,
    );
    expect(inboxAnswer.json().description).toMatch(/^webhook_url must not point at a private/);
    expect(inboxAnswer.json().errors[0].field).toBe('channel.webhook_url');
    expect(botAnswer.json().description).toMatch(/^outgoing_url must not point at a private/);
    expect(chatwootAnswer.json().description).toMatch(/^url must not contain a user name or password/);
  });

  it('accepts an allowlisted loopback target and a public address without connecting to it', async () => {
    for (const kind of kinds) {
      const started = Date.now();
      const allowlisted = await kind.create(allowlistedUrl);
      const updated = await kind.update(publicUrl);

      expect(allowlisted.statusCode, `${kind.name}: ${allowlisted.body}`).toBeLessThan(300);
      expect(updated.statusCode, `${kind.name}: ${updated.body}`).toBeLessThan(300);
      // Nothing listens on port 1 and the public address is unreachable here: a connect attempt
      // would fail or hang; the check only looks at the address.
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
