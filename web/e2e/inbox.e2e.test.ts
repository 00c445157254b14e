import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../src/testing/app.js';
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

const CONVERSATIONS = 24;
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The web app in a real browser against a real Parley: an agent works a conversation while an
 * administrator, in another browser context, watches it change live.
 */
describe.skipIf(browserSkipReason !== null)(`the web inbox in a browser (${backendName})`, () => {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  let base: string;
  let seeded: Seeded;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    requireBuiltApp();
    const parley = await createTestApp({ PARLEY_WEB_DIR: WEB_DIST });
    app = parley;
    seeded = await seedInbox(parley, CONVERSATIONS);
    await parley.parley.startBackground();
    await parley.parley.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${String((parley.parley.server.server.address() as AddressInfo).port)}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    // Guarded: a failed setup must still release what did start.
    await browser?.close();
    await app?.close();
  });

  async function openPage(): Promise<{ page: Page; csp: string[] }> {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Fail at the step that broke, with its locator, well before the test's own timeout.
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    return { page, csp: watchCspViolations(page) };
  }

  async function signIn(page: Page, person: { email: string; password: string }): Promise<void> {
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The tabs, not the list: a tab with no conversations shows a message instead of a listbox.
    await page.getByRole('tablist', { name: 'Whose conversations' }).waitFor();
  }

  const tabCount = (page: Page, tab: string) => page.getByTestId(`count-${tab}`).innerText();

  it('signs in, lists, works a conversation, and shows it live to another agent', async () => {
    // Assets are hashed and cached for good; the page itself never is.
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(
      await (await fetch(`${base}/`, { headers: { accept: 'text/html' } })).text(),
    );
    expect(asset?.[1]).toBeDefined();
    const assetResponse = await fetch(`${base}${asset?.[1] ?? ''}`);
    expect(assetResponse.headers.get('cache-control')).toContain('immutable');

    const { page: alice, csp } = await openPage();
    await alice.goto(`${base}/`);
    await alice.waitForURL(/\/signin/);
    expect(await seriousAxeViolations(alice)).toEqual([]);

    // A wrong password is refused with a message, and nothing else happens.
    await alice.getByLabel('Email').fill(seeded.agent.email);
    await alice.getByLabel('Password').fill('not the password');
    await alice.getByRole('button', { name: 'Sign in' }).click();
    await alice.getByRole('alert').waitFor();

    await signIn(alice, seeded.agent);
    await alice.waitForURL(new RegExp(`/accounts/${String(seeded.accountId)}/inbox`));
    // An agent sees the agent's sections only.
    expect(await alice.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await alice.getByTestId('count-all').filter({ hasNotText: '…' }).waitFor();
    expect(await tabCount(alice, 'mine')).toBe(String(seeded.assignedToAgent));
    expect(await tabCount(alice, 'unassigned')).toBe(String(CONVERSATIONS - seeded.assignedToAgent));
    expect(await tabCount(alice, 'all')).toBe(String(CONVERSATIONS));

    await alice.getByRole('tab', { name: /All/ }).click();
    const listbox = alice.getByRole('listbox', { name: 'Conversations' });
    const rows = listbox.getByRole('option');
    // The previous tab's rows stay on screen until the new ones arrive; then a screenful of them
    // is in the DOM, not all of them (virtualized).
    await expect.poll(() => rows.count()).toBeGreaterThan(5);
    expect(await rows.count()).toBeLessThan(CONVERSATIONS);
    expect(await seriousAxeViolations(alice)).toEqual([]);

    // Keyboard: into the list, down two rows, Enter opens the third conversation.
    await listbox.focus();
    await alice.keyboard.press('ArrowDown');
    await alice.keyboard.press('ArrowDown');
    const third = await rows.nth(2).getAttribute('id');
    const conversationId = Number(third?.replace('conversation-option-', ''));
    await alice.keyboard.press('Enter');
    await alice.waitForURL(new RegExp(`/inbox/${String(conversationId)}`));
    const opened = seeded.conversations.find((row) => row.id === conversationId);
    expect(opened).toBeDefined();
    await alice
      .locator('#conversation-title')
      .filter({ hasText: opened?.contactName ?? '?' })
      .waitFor();
    await alice.locator('.message.incoming', { hasText: 'Question number' }).waitFor();

    // The administrator opens the same conversation in another browser.
    const { page: ada } = await openPage();
    await ada.goto(`${base}/accounts/${String(seeded.accountId)}/inbox/${String(conversationId)}`);
    await ada.waitForURL(/\/signin/);
    await signIn(ada, seeded.admin);
    await ada.waitForURL(new RegExp(`/inbox/${String(conversationId)}`));
    await ada
      .locator('#conversation-title')
      .filter({ hasText: opened?.contactName ?? '?' })
      .waitFor();
    expect(await ada.getByRole('link', { name: 'Settings' }).count()).toBe(1);
    expect(await ada.getByRole('combobox', { name: 'Account' }).locator('option').allInnerTexts()).toEqual([
      'Acme',
      'Globex',
    ]);

    // A reply, then a private note; the other browser sees both without a reload.
    const reply = alice.getByRole('textbox', { name: 'Reply' });
    await reply.fill('We are on it, thank you.');
    await alice.getByRole('button', { name: 'Send' }).click();
    await alice.locator('.message.outgoing', { hasText: 'We are on it' }).waitFor();
    await ada.locator('.message.outgoing', { hasText: 'We are on it' }).waitFor();

    // A file goes up with a reply; the image shows as a preview the session cookie can load.
    await alice
      .locator('input[type=file]')
      .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    await alice.getByRole('list', { name: 'Files to send' }).getByText('receipt.png').waitFor();
    await reply.fill('Here is your receipt');
    await alice.getByRole('button', { name: 'Send' }).click();
    const preview = ada.getByRole('img', { name: 'receipt.png' });
    await preview.waitFor();
    await expect
      .poll(() => preview.evaluate((image: unknown) => (image as { naturalWidth: number }).naturalWidth))
      .toBe(1);

    await alice.getByRole('checkbox', { name: /Private note/ }).check();
    await alice.getByRole('textbox', { name: 'Private note' }).fill('Customer is a VIP');
    await alice.getByRole('button', { name: 'Add note' }).click();
    await ada.locator('.message.note', { hasText: 'Customer is a VIP' }).waitFor();
    await alice.getByRole('checkbox', { name: /Private note/ }).uncheck();

    // `/` offers canned responses; Enter inserts one.
    await reply.fill('');
    await reply.pressSequentially('/than');
    await alice.getByRole('option', { name: /thanks/ }).waitFor();
    await reply.press('Enter');
    expect(await reply.inputValue()).toBe('Thank you for writing to us!');
    // Escape leaves the reply box for the list.
    await reply.press('Escape');
    await expect.poll(() => alice.evaluate('document.activeElement?.getAttribute("role")')).toBe('listbox');
    await reply.fill('');

    // Assign, label, resolve; the administrator sees the changes live.
    const actions = alice.getByRole('group', { name: 'Conversation actions' });
    await actions.getByLabel('Assignee').selectOption({ label: 'Alice Agent (me)' });
    await ada.getByText('Assigned to Alice Agent').waitFor();
    await actions.getByText('Labels', { exact: true }).click();
    await alice.getByRole('checkbox', { name: 'vip' }).check();
    await alice.getByRole('list', { name: 'Labels' }).getByText('vip').waitFor();
    await actions.getByRole('button', { name: 'Resolve' }).click();
    await actions.getByRole('button', { name: 'Reopen' }).waitFor();
    await ada.getByTestId('conversation-status').filter({ hasText: 'resolved' }).waitFor();
    await ada.getByRole('list', { name: 'Labels' }).getByText('vip').waitFor();

    // The administrator switches to the other account: its inbox, none of Acme's conversations.
    await ada.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'Globex' });
    await ada.waitForURL(new RegExp(`/accounts/${String(seeded.otherAccountId)}/inbox`));
    await ada.getByTestId('count-all').filter({ hasText: /^0$/ }).waitFor();
    await ada.getByText('No conversations here.').waitFor();
    expect(await ada.getByRole('listbox', { name: 'Conversations' }).count()).toBe(0);

    if (process.env.PARLEY_SCREENSHOTS === '1') {
      await mkdir('docs/screenshots', { recursive: true });
      await alice.screenshot({ path: 'docs/screenshots/inbox.png' });
    }
    expect(await seriousAxeViolations(alice)).toEqual([]);

    // Signing out ends the session: the app returns to the sign-in page and stays there.
    await alice.getByRole('button', { name: 'Sign out' }).click();
    await alice.waitForURL(/\/signin/);
    await alice.goto(`${base}/accounts/${String(seeded.accountId)}/inbox`);
    await alice.waitForURL(/\/signin/);
    expect(csp).toEqual([]);
  }, 60_000);
});
