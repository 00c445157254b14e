import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestApp, TEST_PLATFORM_TOKEN, type TestApp } from '../../src/testing/app.js';
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

const CONVERSATIONS = 9;
const RESOLVED = 4;

/** Reports in a real browser: the figures on screen are the history the test made. */
describe.skipIf(browserSkipReason !== null)(`web reports in a browser (${backendName})`, () => {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  let base: string;
  let seeded: Seeded;

  beforeAll(async () => {
    requireBuiltApp();
    const parley = await createTestApp({ PARLEY_WEB_DIR: WEB_DIST });
    app = parley;
    seeded = await seedInbox(parley, CONVERSATIONS);
    const inject = parley.parley.server.inject.bind(parley.parley.server);
    // Resolve a few through the native API, as the platform operator.
    for (const conversation of seeded.conversations.slice(0, RESOLVED)) {
      const resolved = await inject({
        method: 'PATCH',
        url: `/api/v1/accounts/${String(seeded.accountId)}/conversations/${String(conversation.id)}`,
        headers: { authorization: `Bearer ${TEST_PLATFORM_TOKEN}` },
        payload: { status: 'resolved' },
      });
      if (resolved.statusCode !== 200) throw new Error(`resolve: ${resolved.body}`);
    }
    await parley.parley.startBackground();
    await parley.parley.relay.drain();
    await parley.parley.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${String((parley.parley.server.server.address() as AddressInfo).port)}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the period’s conversations and resolutions, by inbox and by agent, and exports them', async () => {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const csp = watchCspViolations(page);

    await page.goto(`${base}/accounts/${String(seeded.accountId)}/reports`);
    await page.getByLabel('Email').fill(seeded.admin.email);
    await page.getByLabel('Password').fill(seeded.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();

    await expect.poll(() => page.getByTestId('total-conversations').innerText()).toBe(String(CONVERSATIONS));
    expect(await page.getByTestId('total-resolutions').innerText()).toBe(String(RESOLVED));
    // Both charts are drawn (uPlot's canvas), the table carries the same figures.
    expect(await page.locator('.report-chart canvas').count()).toBe(2);

    await page.getByRole('button', { name: 'Inboxes' }).click();
    const website = page.getByRole('row', { name: /Website/ });
    await expect
      .poll(() => website.innerText())
      .toMatch(new RegExp(`Website\\s+${String(CONVERSATIONS)}\\s+${String(RESOLVED)}`));
    // The agent has the two conversations assigned to her, both among the resolved ones (the
    // first ones seeded), and resolutions count for the assignee.
    await page.getByRole('button', { name: 'Agents' }).click();
    await expect
      .poll(() => page.getByRole('row', { name: /Alice Agent/ }).innerText())
      .toMatch(
        new RegExp(`Alice Agent\\s+${String(seeded.assignedToAgent)}\\s+${String(seeded.assignedToAgent)}`),
      );
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The export is the same breakdown, as CSV, with the session cookie.
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toContain('by=agent');
    const csv = await context.request.get(`${base}${href ?? ''}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const agentShare = String(seeded.assignedToAgent);
    expect(await csv.text()).toContain(`Alice Agent,${agentShare},${agentShare},`);

    // A period before any conversation shows zeros.
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-31');
    await expect.poll(() => page.getByTestId('total-conversations').innerText()).toBe('0');

    if (process.env.PARLEY_SCREENSHOTS === '1') {
      await page.getByLabel('From', { exact: true }).fill('');
      await page.goto(`${base}/accounts/${String(seeded.accountId)}/reports?by=inbox`);
      await expect
        .poll(() => page.getByTestId('total-conversations').innerText())
        .toBe(String(CONVERSATIONS));
      await mkdir('docs/screenshots', { recursive: true });
      await page.screenshot({ path: 'docs/screenshots/reports.png' });
    }
    expect(csp).toEqual([]);
    await context.close();
  });

  it('keeps reports from agents', async () => {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext();
    const response = await context.request.post(`${base}/api/v1/auth/session`, {
      headers: { 'x-parley-csrf': '1' },
      data: { email: seeded.agent.email, password: seeded.agent.password },
    });
    expect(response.status()).toBe(200);
    const report = await context.request.get(`${base}/api/v1/accounts/${String(seeded.accountId)}/reports`);
    expect(report.status()).toBe(403);
    await context.close();
  });
});
