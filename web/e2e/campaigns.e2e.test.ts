import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import { browserSkipReason, requireBuiltApp, seriousAxeViolations, WEB_DIST } from './browser.js';
import { startBrowserHarness, started, type BrowserHarness, type Person } from './harness.js';
import { seedInbox, type Seeded } from './seed.js';

/** The contacts' numbers: the app's carrier simulator answers each one busy at once. */
const numbers = ['33612345601', '33612345602', '33612345603', '33612345604', '33612345605'];

interface CampaignBody {
  isPaused: boolean;
  isArchived: boolean;
  customFields: string[];
  phoneFields: string[];
  callingWindows: Record<string, { start: string; end: string }[]>;
}

/**
 * Campaigns in a real browser against a real Parley and its dialer: an administrator creates a
 * campaign with the keyboard, adds contacts by hand, by the API and from a CSV file, sees the
 * counts, opens the calling windows, resumes it (the dialer calls, and each call says why it was
 * placed), pauses and archives it; the API confirms every state.
 */
describe.skipIf(browserSkipReason !== null)(`campaigns in a browser (${backendName})`, () => {
  let app: TestApp | undefined;
  let harness: BrowserHarness | undefined;
  let base: string;
  let seeded: Seeded;

  beforeAll(async () => {
    requireBuiltApp();
    const parley = await createTestApp({
      PARLEY_WEB_DIR: WEB_DIST,
      PARLEY_DIALER_SIMULATOR: JSON.stringify({
        seed: 11,
        forcedOutcomes: Object.fromEntries(
          numbers.map((number) => [number, { outcome: 'busy', ringSeconds: 0.2 }]),
        ),
      }),
    });
    app = parley;
    seeded = await seedInbox(parley, 0);
    harness = await startBrowserHarness(parley);
    base = harness.base;
  });
  afterAll(async () => {
    await (harness ?? app)?.close();
  });

  const openPage = () => started(harness).openPage();
  const signIn = (page: Page, person: Person) => started(harness).signIn(page, person, seeded.accountId);

  const accountApi = (path: string) => `${base}/api/v1/accounts/${String(seeded.accountId)}${path}`;
  async function callApi<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(accountApi(path), {
      method,
      headers: {
        authorization: `Bearer ${seeded.apiKey}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${String(response.status)} ${await response.text()}`);
    return (await response.json()) as T;
  }

  function figure(page: Page, term: string) {
    return page
      .locator('.campaign-figures > div')
      .filter({ has: page.getByText(term, { exact: true }) })
      .locator('dd');
  }

  /** A figure's number (the calls-today figure has a note after it). */
  async function figureNumber(page: Page, term: string): Promise<string> {
    return (await figure(page, term).innerText()).split('\n')[0]?.trim() ?? '';
  }

  it('creates a campaign, adds and imports contacts, dials, pauses, resumes and archives it', async () => {
    const { page, csp } = await openPage();
    await signIn(page, seeded.admin);

    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    await page.getByText('No campaigns here yet.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Create with the keyboard: type the name, Enter submits the form.
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Campaign name').focus();
    await page.keyboard.type('Spring renewals');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/campaigns\/\d+\/contacts$/);
    const campaignId = Number(/\/campaigns\/(\d+)\//.exec(page.url())?.[1]);
    await page.getByRole('heading', { name: 'Spring renewals', level: 1 }).waitFor();
    const created = await callApi<CampaignBody>('GET', `/campaigns/${String(campaignId)}`);
    expect(created).toMatchObject({ isPaused: true, isArchived: false, phoneFields: ['phone'] });
    expect(created.customFields).toEqual(expect.arrayContaining(['phone', 'firstName', 'lastName']));

    // One contact by hand…
    const add = page.getByRole('form', { name: 'Add a contact' });
    await add.getByLabel('phone (phone number)').fill(`+${numbers[0] ?? ''}`);
    await add.getByLabel('firstName').fill('Chloé');
    await add.getByRole('button', { name: 'Add contact' }).click();
    await add.getByRole('status').filter({ hasText: 'Contact #1 added.' }).waitFor();
    await page.getByRole('row', { name: /Chloé/ }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // …one by the API (and one that cannot be dialled)…
    for (const [phone, firstName] of [
      [`+${numbers[1] ?? ''}`, 'Marc'],
      ['not a number', 'Nobody'],
    ]) {
      await callApi('POST', `/campaigns/${String(campaignId)}/contacts`, {
        customFields: { phone, firstName },
      });
    }
    // …and three from a file.
    const csv = `phone,firstName,lastName\n+${numbers[2] ?? ''},Ana,Lima\n+${numbers[3] ?? ''},"Bo, Jr",Ek\n+${numbers[4] ?? ''},Cy,Ng\n`;
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByText('contacts.csv: 3 contacts').waitFor();
    await page.getByRole('button', { name: 'Import 3 contacts' }).click();
    await page.getByText(/^Import finished: 3 of 3 sent, 3 added/).waitFor({ timeout: 20_000 });

    await expect.poll(() => figure(page, 'Contacts').innerText()).toBe('6');
    expect(await figure(page, 'Still to call').innerText()).toBe('5');
    expect(await figure(page, 'Excluded').innerText()).toBe('1');
    const progress = page.getByLabel('Progress', { exact: true });
    await progress.selectOption('excluded');
    await expect.poll(() => page.getByRole('row', { name: /Chloé/ }).count()).toBe(0);
    await page.getByRole('row', { name: /Nobody/ }).waitFor();
    await progress.selectOption('');

    // Calling windows: every day, all day, in the settings.
    await page
      .getByRole('navigation', { name: 'Campaign sections' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
    await page.getByLabel('Monday', { exact: true }).fill('9-5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(() => page.getByLabel('Monday', { exact: true }).getAttribute('aria-invalid'))
      .toBe('true');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      await page.getByLabel(day, { exact: true }).fill('00:00-24:00');
    }
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    const windows = (await callApi<CampaignBody>('GET', `/campaigns/${String(campaignId)}`)).callingWindows;
    expect(windows['1']).toEqual([{ start: '00:00', end: '24:00' }]);

    // An agent logs into the campaign; resuming it (keyboard) lets the dialer call.
    await callApi('POST', `/campaigns/${String(campaignId)}/agents/${String(seeded.agent.userId)}/join`);
    await page.getByRole('button', { name: 'Resume Spring renewals' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('campaign-state').filter({ hasText: 'Running' }).waitFor();
    expect((await callApi<CampaignBody>('GET', `/campaigns/${String(campaignId)}`)).isPaused).toBe(false);

    await page
      .getByRole('navigation', { name: 'Campaign sections' })
      .getByRole('link', { name: 'Recent calls' })
      .click();
    const busyRow = page.getByRole('row').filter({ hasText: 'Busy' }).first();
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh calls' }).click();
          return busyRow.count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    expect(await busyRow.innerText()).toMatch(/try 1/);
    await busyRow.getByText(/^All \d+ decisions/).click();
    await busyRow.getByText(/dial,/).first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await expect
      .poll(async () => Number(await figureNumber(page, 'Calls today')), { timeout: 25_000 })
      .toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Pause Spring renewals' }).click();
    await page.getByTestId('campaign-state').filter({ hasText: 'Paused' }).waitFor();
    expect((await callApi<CampaignBody>('GET', `/campaigns/${String(campaignId)}`)).isPaused).toBe(true);

    // Wrap-up codes: the account's, created here.
    await page
      .getByRole('navigation', { name: 'Campaign sections' })
      .getByRole('link', { name: 'Wrap-up codes' })
      .click();
    const codeForm = page.getByRole('form', { name: 'New wrap-up code' });
    await codeForm.getByLabel('Code name').fill('Renewed');
    await codeForm.getByLabel('Status').selectOption('arguedpositive');
    await codeForm.getByRole('button', { name: 'Create wrap-up code' }).click();
    await page.getByRole('cell', { name: 'Renewed', exact: true }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Back in the list: the figures, then archive with the keyboard (the confirmation takes focus).
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Campaigns' })
      .click();
    const row = page.getByRole('row', { name: /Spring renewals/ });
    await row.getByText('Progressive', { exact: true }).waitFor();
    // The name is the row header; the cells are mode, state, contacts, still to call…
    await expect.poll(() => row.getByRole('cell').nth(2).innerText()).toBe('6');
    await row.getByRole('button', { name: 'Archive Spring renewals' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByText('No campaigns here yet.').waitFor();
    expect((await callApi<CampaignBody>('GET', `/campaigns/${String(campaignId)}`)).isArchived).toBe(true);
    await page.getByLabel('Show').selectOption('archived');
    await page.getByRole('button', { name: 'Unarchive Spring renewals' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(csp).toEqual([]);
  }, 120_000);

  it('keeps an agent out of campaigns: a refusal on the screen, 403 from the API', async () => {
    const { page } = await openPage();
    await signIn(page, seeded.agent);
    await page.getByRole('link', { name: 'Inbox', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Campaigns' }).count()).toBe(0);
    await page.goto(`${base}/accounts/${String(seeded.accountId)}/campaigns`);
    await page.getByRole('heading', { name: 'Administrators only' }).waitFor();
    const csrf = { 'x-parley-csrf': '1' };
    const created = await page.request.post(accountApi('/campaigns'), {
      headers: csrf,
      data: { name: 'Agent campaign', mode: 'preview' },
    });
    expect(created.status()).toBe(403);
  });
});
