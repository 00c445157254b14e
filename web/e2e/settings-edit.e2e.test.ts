import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import { browserSkipReason, requireBuiltApp, seriousAxeViolations, WEB_DIST } from './browser.js';
import { startBrowserHarness, started, type BrowserHarness, type Person } from './harness.js';
import { seedInbox, type Seeded } from './seed.js';

/**
 * Editing in settings and reading in the inbox, in a real browser against a real Parley: an
 * administrator renames a team (and puts an agent in it) and edits a canned response, and the API
 * answers the new values; an agent opens an unread conversation and its unread badge clears, also
 * when the contact writes again while it is open.
 */
describe.skipIf(browserSkipReason !== null)(
  `settings editing and read marks in a browser (${backendName})`,
  () => {
    let app: TestApp | undefined;
    let harness: BrowserHarness | undefined;
    let base: string;
    let seeded: Seeded;

    beforeAll(async () => {
      requireBuiltApp();
      const parley = await createTestApp({ PARLEY_WEB_DIR: WEB_DIST });
      app = parley;
      seeded = await seedInbox(parley, 6);
      harness = await startBrowserHarness(parley);
      base = harness.base;
    });
    afterAll(async () => {
      await (harness ?? app)?.close();
    });

    const openPage = () => started(harness).openPage();
    const signIn = (page: Page, person: Person) => started(harness).signIn(page, person);

    async function apiGet<T>(path: string): Promise<T> {
      const response = await fetch(`${base}/api/v1/accounts/${String(seeded.accountId)}${path}`, {
        headers: { authorization: `Bearer ${seeded.apiKey}` },
      });
      expect(response.status, path).toBe(200);
      return (await response.json()) as T;
    }

    // Strings, evaluated in the page: these tests compile without the DOM's types.
    const focused = (page: Page, attribute: string) =>
      page.evaluate<string | null>(`document.activeElement?.getAttribute('${attribute}') ?? null`);

    it('renames a team with its agents and edits a canned response, by keyboard', async () => {
      const { page, csp } = await openPage();
      await signIn(page, seeded.admin);
      await page.goto(`${base}/accounts/${String(seeded.accountId)}/settings/teams`);
      await page.getByRole('heading', { name: 'Teams', exact: true }).waitFor();

      // Keyboard only: focus the row's Edit button, open the form, type, submit with Enter.
      await page.getByRole('button', { name: 'Edit Billing' }).focus();
      await page.keyboard.press('Enter');
      const form = page.getByRole('form', { name: 'Edit Billing' });
      const name = form.getByLabel('Team name');
      await expect.poll(() => focused(page, 'name')).toBe('name');
      await form.getByRole('checkbox', { name: seeded.agent.name }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await form.getByRole('checkbox', { name: seeded.agent.name }).check();
      await name.fill('Accounts receivable');
      await name.press('Enter');
      await form.waitFor({ state: 'detached' });
      // Focus goes back to the row the form edited, now under its new name.
      await expect.poll(() => focused(page, 'aria-label')).toBe('Edit Accounts receivable');

      const teams = await apiGet<{ data: { id: number; name: string }[] }>('/teams');
      const team = teams.data.find((row) => row.name === 'Accounts receivable');
      expect(team).toBeDefined();
      const members = await apiGet<{ userIds: number[] }>(`/teams/${String(team?.id)}/members`);
      expect(members.userIds).toEqual([seeded.agent.userId]);

      await page
        .getByRole('navigation', { name: 'Settings sections' })
        .getByRole('link', { name: 'Canned responses' })
        .click();
      await page.getByRole('button', { name: 'Edit /thanks' }).click();
      const cannedForm = page.getByRole('form', { name: 'Edit /thanks' });
      await cannedForm.getByLabel('Short code').fill('thank you');
      await cannedForm.getByRole('button', { name: 'Save canned response' }).click();
      // The API's refusal shows under the field it names; nothing is saved.
      await expect.poll(() => cannedForm.getByLabel('Short code').getAttribute('aria-invalid')).toBe('true');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await cannedForm.getByLabel('Short code').fill('thankyou');
      await cannedForm.getByLabel('Content').fill('Thanks a lot, we are on it.');
      await cannedForm.getByRole('button', { name: 'Save canned response' }).click();
      await page.getByRole('cell', { name: '/thankyou', exact: true }).waitFor();

      const canned = await apiGet<{ data: { shortCode: string; content: string }[] }>('/canned-responses');
      expect(canned.data).toContainEqual(
        expect.objectContaining({ shortCode: 'thankyou', content: 'Thanks a lot, we are on it.' }),
      );
      expect(canned.data.map((row) => row.shortCode)).not.toContain('thanks');
      expect(csp).toEqual([]);
    });

    it('clears the unread badge when the agent opens a conversation, and again when the contact writes', async () => {
      const { page } = await openPage();
      await signIn(page, seeded.agent);
      await page.getByRole('tab', { name: /All/ }).click();
      const listbox = page.getByRole('listbox', { name: 'Conversations' });
      const unread = listbox.getByRole('option').filter({ has: page.locator('.unread') });
      await expect.poll(() => unread.count()).toBeGreaterThan(1);
      const row = unread.first();
      const conversationId = Number((await row.getAttribute('id'))?.replace('conversation-option-', ''));
      const badge = page.locator(`#conversation-option-${String(conversationId)} .unread`);
      expect(await badge.getAttribute('aria-label')).toBe('1 unread');
      expect(await seriousAxeViolations(page)).toEqual([]);

      await row.click();
      await page.waitForURL(new RegExp(`/inbox/${String(conversationId)}`));

      await badge.waitFor({ state: 'detached' });
      const read = await apiGet<{ unreadCount: number; displayId: number }>(
        `/conversations/${String(conversationId)}`,
      );
      expect(read.unreadCount).toBe(0);

      // The contact writes while the conversation is open: it shows, and is marked read again.
      const message = await fetch(
        `${base}/chatwoot/api/v1/accounts/${String(seeded.accountId)}/conversations/${String(read.displayId)}/messages`,
        {
          method: 'POST',
          headers: { api_access_token: seeded.apiKey, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'Are you still there?', message_type: 'incoming' }),
        },
      );
      expect(message.status).toBe(200);
      await page.getByRole('log').getByText('Are you still there?').waitFor();
      await expect
        .poll(
          async () =>
            (await apiGet<{ unreadCount: number }>(`/conversations/${String(conversationId)}`)).unreadCount,
          { timeout: 10_000 },
        )
        .toBe(0);
      await badge.waitFor({ state: 'detached' });
      expect(await seriousAxeViolations(page)).toEqual([]);
    });
  },
);
