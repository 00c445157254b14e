import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import { seedInbox } from '../../src/faces/chatwoot/conversations.test-kit.js';
import { contacts } from '../../src/core/contacts/contacts.tables.js';
import { conversations } from '../../src/core/conversations/conversations.tables.js';
import { browserSkipReason, launchChromium, requireBuiltApp, WEB_DIST } from './browser.js';

const TOTAL = 10_000;
const CHUNK = 1_000;

/**
 * With 10,000 conversations the inbox shows and answers the keyboard from its first page, and
 * scrolling loads pages as needed, never the whole list. The time to interactive (goal: under
 * 1.5 s) is printed for the README's figure, not asserted: CI runs other files beside this one.
 */
describe.skipIf(browserSkipReason !== null)(
  `the web inbox with ${String(TOTAL)} conversations (${backendName})`,
  () => {
    let app: TestApp | undefined;
    let browser: Browser | undefined;
    let base: string;
    let accountId: number;
    const agent = { email: 'scale@acme.example', password: 'correct horse battery' };

    beforeAll(async () => {
      requireBuiltApp();
      const parley = await createTestApp({ PARLEY_WEB_DIR: WEB_DIST });
      app = parley;
      accountId = (await seedAccount(parley, 'Acme')).accountId;
      const member = await injector(parley)({
        method: 'POST',
        url: `/api/v1/accounts/${String(accountId)}/members`,
        headers: bearer(TEST_PLATFORM_TOKEN),
        payload: { ...agent, name: 'Sam Scale', role: 'agent' },
      });
      expect(member.statusCode).toBe(201);
      // Agents see the conversations of the inboxes they belong to.
      const inboxId = await seedInbox(parley, accountId, {
        name: 'Website',
        memberIds: [member.json<{ userId: number }>().userId],
      });
      // Rows straight into the tables: 10,000 visitors through the API would take minutes.
      const db = parley.parley.ctx.db;
      const start = Date.now() - TOTAL * 60_000;
      for (let offset = 0; offset < TOTAL; offset += CHUNK) {
        const indexes = Array.from({ length: CHUNK }, (_, index) => offset + index);
        const people = await db
          .insert(contacts)
          .values(indexes.map((index) => ({ accountId, name: `Person ${String(index)}` })))
          .returning({ id: contacts.id });
        await db.insert(conversations).values(
          indexes.map((index, position) => ({
            accountId,
            inboxId,
            contactId: people[position]?.id ?? 0,
            displayId: 1_000_000 + index,
            lastActivityAt: new Date(start + index * 60_000),
          })),
        );
      }
      await parley.parley.server.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${String((parley.parley.server.server.address() as AddressInfo).port)}`;
      browser = await launchChromium();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('answers the keyboard on its first page and pages in rows as the list scrolls', async () => {
      if (!browser) throw new Error('the browser did not start');
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await page.goto(`${base}/signin`);
      await page.getByLabel('Email').fill(agent.email);
      await page.getByLabel('Password').fill(agent.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('tablist', { name: 'Whose conversations' }).waitFor();

      const listRequests: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/conversations?')) listRequests.push(request.url());
      });
      // A fresh load of the page (assets cached, as for an agent coming back), to the first row that
      // answers the keyboard.
      const started = Date.now();
      await page.goto(`${base}/accounts/${String(accountId)}/inbox?tab=all`);
      const listbox = page.getByRole('listbox', { name: 'Conversations' });
      const rows = listbox.getByRole('option');
      await rows.first().waitFor();
      await listbox.focus();
      await page.keyboard.press('ArrowDown');
      await page.locator('[role=option].active', { hasText: 'Person 9998' }).waitFor();
      // Reported, not asserted: on a CI machine running other test files beside it, a time says
      // more about the machine than the page.
      const interactiveMs = Date.now() - started;
      expect(await page.getByTestId('count-all').innerText()).toBe(String(TOTAL));
      expect(await rows.first().getAttribute('aria-setsize')).toBe(String(TOTAL));

      // End jumps to the last loaded row; each jump loads the next page, not the rest of the list.
      const loadedHeight = () =>
        listbox
          .locator(':scope > div')
          .last()
          .evaluate((spacer: unknown) => (spacer as { scrollHeight: number }).scrollHeight);
      for (let jump = 0; jump < 4; jump += 1) {
        const before = await loadedHeight();
        await Promise.all([
          page.waitForResponse(
            (response) => response.url().includes('/conversations?') && response.url().includes('cursor='),
          ),
          page.keyboard.press('End'),
        ]);
        // The next jump starts from the new end, once the page's rows are rendered.
        await expect.poll(loadedHeight).toBeGreaterThan(before);
      }
      expect(listRequests.length).toBeLessThan(10);
      expect(await rows.count()).toBeLessThan(60);
      expect(listRequests.at(-1)).toContain('cursor=');
      console.info(`inbox with ${String(TOTAL)} conversations interactive in ${String(interactiveMs)} ms`);
      await context.close();
    }, 60_000);
  },
);
