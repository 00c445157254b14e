import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestApp, injector, type TestApp } from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import {
  browserSkipReason,
  launchChromium,
  requireBuiltApp,
  seriousAxeViolations,
  watchCspViolations,
  WEB_DIST,
} from './browser.js';
import { seedInbox, type Seeded } from './seed.js';

/** Contacts in a real browser: search, edit, label, and merge a duplicate with its conversation. */
describe.skipIf(browserSkipReason !== null)(`web contacts in a browser (${backendName})`, () => {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  let base: string;
  let seeded: Seeded;
  let janeId: number;

  beforeAll(async () => {
    requireBuiltApp();
    const parley = await createTestApp({ PARLEY_WEB_DIR: WEB_DIST });
    app = parley;
    seeded = await seedInbox(parley, 1);
    const inject = injector(parley);
    const chatwoot = async <T>(path: string, payload: object) => {
      const response = await inject({
        method: 'POST',
        url: `/chatwoot/api/v1/accounts/${String(seeded.accountId)}${path}`,
        headers: { api_access_token: seeded.apiKey },
        payload,
      });
      if (response.statusCode !== 200) throw new Error(`${path}: ${response.body}`);
      return response.json<T>();
    };
    // Two records of one person; the duplicate has a conversation of its own.
    const jane = await chatwoot<{ id: number }>('/contacts', {
      name: 'Jane Roe',
      email: 'jane@roe.example',
    });
    janeId = jane.id;
    const duplicate = await chatwoot<{ id: number }>('/contacts', {
      name: 'J. Roe',
      email: 'j.roe@mail.example',
    });
    const inboxes = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${String(seeded.accountId)}/inboxes`,
      headers: { authorization: `Bearer ${seeded.apiKey}` },
    });
    const inboxId = inboxes.json<{ data: { id: number }[] }>().data[0]?.id;
    await chatwoot('/conversations', {
      inbox_id: inboxId,
      contact_id: duplicate.id,
      source_id: 'duplicate-source',
    });
    await parley.parley.startBackground();
    await parley.parley.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${String((parley.parley.server.server.address() as AddressInfo).port)}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('finds a contact, edits it, labels it and merges its duplicate in', async () => {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const csp = watchCspViolations(page);
    page.on('dialog', (dialog) => void dialog.accept());

    await page.goto(`${base}/accounts/${String(seeded.accountId)}/contacts`);
    await page.getByLabel('Email').fill(seeded.agent.email);
    await page.getByLabel('Password').fill(seeded.agent.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();

    await page.getByRole('searchbox', { name: 'Search' }).fill('roe');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByRole('row').count()).toBe(3); // header + both records
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Jane Roe' }).click();
    await page.getByRole('heading', { name: 'Jane Roe', level: 1 }).waitFor();
    await page.getByLabel('Phone (E.164, e.g. +33612345678)').fill('+33612345678');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    await page.getByLabel('Attribute', { exact: true }).fill('plan');
    await page.getByLabel('Value', { exact: true }).fill('gold');
    await page.getByRole('button', { name: 'Set' }).click();
    await page.getByText('gold', { exact: true }).waitFor();

    await page.getByRole('checkbox', { name: 'vip' }).check();
    await expect.poll(() => page.getByRole('checkbox', { name: 'vip' }).isChecked()).toBe(true);

    await page.getByRole('searchbox', { name: 'Find a contact' }).fill('j.roe');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: 'Merge into this contact' }).click();
    // The duplicate's conversation is Jane's now.
    await page.getByRole('region', { name: 'Conversations' }).getByRole('link').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    const stored = await context.request.get(
      `${base}/api/v1/accounts/${String(seeded.accountId)}/contacts/${String(janeId)}`,
    );
    expect(await stored.json()).toMatchObject({
      phoneNumber: '+33612345678',
      customAttributes: { plan: 'gold' },
      labels: ['vip'],
      conversations: [{ contact: { id: janeId } }],
    });
    // The label filter finds her, and the duplicate is gone.
    await page.goto(`${base}/accounts/${String(seeded.accountId)}/contacts?label=vip`);
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await page.getByRole('link', { name: 'Jane Roe' }).waitFor();
    expect(csp).toEqual([]);
    await context.close();
  });
});
