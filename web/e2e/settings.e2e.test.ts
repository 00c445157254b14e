import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import { browserSkipReason, requireBuiltApp, seriousAxeViolations, WEB_DIST } from './browser.js';
import { startBrowserHarness, started, type BrowserHarness, type Person } from './harness.js';
import { seedInbox, type Seeded } from './seed.js';
import { startWebhookReceiver } from '../../src/testing/webhook-receiver.js';

/**
 * Settings in a real browser against a real Parley: an administrator creates a web-widget inbox
 * (and gets its embed snippet) and an API key (shown once, working, then revoked); an agent is
 * kept out of settings by the screen and by the API.
 */
describe.skipIf(browserSkipReason !== null)(`settings in a browser (${backendName})`, () => {
  let app: TestApp | undefined;
  let harness: BrowserHarness | undefined;
  let base: string;
  let seeded: Seeded;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;

  beforeAll(async () => {
    requireBuiltApp();
    // Loopback is allowed as a webhook target here only: the receiver below listens on it.
    const parley = await createTestApp({
      PARLEY_WEB_DIR: WEB_DIST,
      PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'],
    });
    app = parley;
    seeded = await seedInbox(parley, 0);
    receiver = await startWebhookReceiver();
    harness = await startBrowserHarness(parley);
    base = harness.base;
  });
  afterAll(async () => {
    await (harness ?? app)?.close();
    await receiver?.close();
  });

  const openPage = () => started(harness).openPage();
  // The administrator belongs to two accounts; settings are Acme's.
  const signIn = (page: Page, person: Person) => started(harness).signIn(page, person, seeded.accountId);

  const accountApi = (path: string) => `${base}/api/v1/accounts/${String(seeded.accountId)}${path}`;

  it('creates a web-widget inbox with its snippet and an API key that works until revoked', async () => {
    const { page, csp } = await openPage();
    await signIn(page, seeded.admin);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/inboxes$/);
    await page.getByRole('heading', { name: 'Inboxes' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The API's validation error shows under the field it names, and nothing is created.
    const form = page.getByRole('form', { name: 'New inbox' });
    await form.getByLabel('Inbox name').fill('Support site');
    await form.getByLabel('Website URL').fill('https://www.acme.example');
    await form.getByLabel('Widget colour').fill('red');
    await form.getByRole('button', { name: 'Create inbox' }).click();
    await expect.poll(() => form.getByLabel('Widget colour').getAttribute('aria-invalid')).toBe('true');
    await form.getByText('must be a colour like #1f5fbf').waitFor();
    expect(await form.getByRole('alert').innerText()).toBe('Check the highlighted fields.');

    await form.getByLabel('Widget colour').fill('#c2185b');
    await form.getByRole('button', { name: 'Create inbox' }).click();
    const snippet = page.getByLabel('Embed snippet');
    await snippet.waitFor();
    const code = await snippet.inputValue();
    const token = /^<script src="([^"]+)" data-inbox-token="([^"]+)" async><\/script>$/.exec(code);
    expect(token?.[1]).toBe(`${base}/widget.js`);
    // The snippet's token is the inbox's public identifier: a visitor reaches the new inbox with it.
    const visitor = await fetch(`${base}/chatwoot/public/api/v1/inboxes/${token?.[2] ?? '?'}/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'First visitor' }),
    });
    expect(visitor.status).toBe(200);
    await page.getByRole('cell', { name: 'Support site', exact: true }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // API keys: created, shown once, usable, revoked.
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'API keys' })
      .click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    const keyForm = page.getByRole('form', { name: 'New API key' });
    await keyForm.getByLabel('Key name').fill('Zapier');
    await keyForm.getByRole('button', { name: 'Create API key' }).click();
    const secretField = page.getByLabel(/New key/);
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const withKey = () => fetch(accountApi('/inboxes'), { headers: { authorization: `Bearer ${secret}` } });
    expect((await withKey()).status).toBe(200);

    await page.getByRole('button', { name: 'Done' }).click();
    await secretField.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('cell', { name: 'Zapier', exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Revoke Zapier' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('cell', { name: /^Revoked/ }).waitFor();
    expect((await withKey()).status).toBe(401);

    // Every other section renders without serious accessibility problems.
    const nav = page.getByRole('navigation', { name: 'Settings sections' });
    for (const [link, heading] of [
      ['Agents', 'Agents'],
      ['Teams', 'Teams'],
      ['Labels', 'Labels'],
      ['Canned responses', 'Canned responses'],
      ['Custom attributes', 'Custom attributes'],
      ['Webhooks', 'Webhooks'],
    ] as const) {
      await nav.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.getByRole('button', { name: /^Create|^Send invitation/ }).waitFor();
      expect(await seriousAxeViolations(page), link).toEqual([]);
    }
    expect(csp).toEqual([]);
  });

  it('keeps an agent out: no Settings link, a refusal on the screen, 403 from the API', async () => {
    const { page } = await openPage();
    await signIn(page, seeded.agent);
    // The shell is up (its own sections shown) before asking what is missing from it.
    await page.getByRole('link', { name: 'Inbox', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);

    await page.goto(`${base}/accounts/${String(seeded.accountId)}/settings/api-keys`);
    await page.getByRole('heading', { name: 'Administrators only' }).waitFor();

    // The same cookie session the app uses, straight at the API.
    const csrf = { 'x-parley-csrf': '1' };
    const answers = await Promise.all([
      page.request.get(accountApi('/api-keys'), { headers: csrf }),
      page.request.post(accountApi('/api-keys'), { headers: csrf, data: { name: 'Agent key' } }),
      page.request.post(accountApi('/inboxes'), {
        headers: csrf,
        data: { channelType: 'web_widget', name: 'Agent inbox' },
      }),
      page.request.post(accountApi('/teams'), { headers: csrf, data: { name: 'Agent team' } }),
      page.request.get(accountApi('/webhooks'), { headers: csrf }),
    ]);
    expect(answers.map((answer) => answer.status())).toEqual([403, 403, 403, 403, 403]);
  });

  it('creates a webhook, shows its secret once, lists its deliveries and redelivers one', async () => {
    if (!receiver) throw new Error('the receiver did not start');
    const hooks = receiver;
    const { page } = await openPage();
    await signIn(page, seeded.admin);
    await page.goto(`${base}/accounts/${String(seeded.accountId)}/settings/webhooks`);
    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('URL').fill(hooks.url('/settings-hook'));
    await form.getByRole('checkbox', { name: 'team.created', exact: true }).check();
    await form.getByRole('button', { name: 'Create webhook' }).click();
    expect((await page.getByLabel(/Signing secret/).inputValue()).length).toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Done' }).click();

    // An event it subscribes to: a team made through the API.
    const made = await fetch(accountApi('/teams'), {
      method: 'POST',
      headers: { authorization: `Bearer ${seeded.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Webhook watchers' }),
    });
    expect(made.status).toBe(201);
    await expect
      .poll(() => hooks.received.filter((hit) => hit.path === '/settings-hook').length, {
        timeout: 15_000,
      })
      .toBe(1);

    await page.getByRole('button', { name: /^Deliveries to/ }).click();
    const row = page.getByRole('row', { name: /team\.created/ });
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh deliveries' }).click();
          return row.filter({ hasText: 'succeeded' }).count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await row.getByRole('button', { name: /^Redeliver/ }).click();
    await page.getByText('Queued for redelivery.').waitFor();
    await expect
      .poll(() => hooks.received.filter((hit) => hit.path === '/settings-hook').length, {
        timeout: 15_000,
      })
      .toBe(2);
  });
});
