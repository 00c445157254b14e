import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../src/testing/speech.js';
import { calls, callTagLinks, callTags } from '../../src/core/calls/calls.tables.js';
import {
  browserSkipReason,
  launchChromium,
  requireBuiltApp,
  seriousAxeViolations,
  watchCspViolations,
  WEB_DIST,
} from './browser.js';

const PASSWORD = 'correct horse battery';
// Four turns with long pauses: pocketsphinx cuts its utterances at silences, so the transcript
// has several time-coded segments for the highlight to move through.
const TURNS = [
  'hello this is the sales team calling about your order',
  'what is the price of the meeting room tomorrow',
  'the price is three hundred dollars for the whole day',
  'thank you we will book the room for tomorrow morning',
];

/** The page's objects as the test touches them (the e2e project compiles without the DOM types). */
interface Attributes {
  getAttribute(name: string): string | null;
}
interface AudioLike {
  currentTime: number;
  muted: boolean;
  play(): Promise<void>;
  pause(): void;
}

const skipReason =
  browserSkipReason ?? (speechToolsAvailable().available ? null : speechToolsAvailable().reason);

/**
 * The calls screens in a real browser against a real Parley: a recording made with espeak-ng is
 * uploaded through the form, goes through the real pipeline (probe, pocketsphinx, extractive
 * summary), and its page plays it with the transcript following playback.
 */
describe.skipIf(skipReason !== null)(`the calls screens in a browser (${backendName})`, () => {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  let base: string;
  let workDir: string;
  let recordingPath: string;
  let accountId: number;
  const admin = { email: 'ada@acme.example', password: PASSWORD, name: 'Ada Admin', userId: 0 };
  let otherUserId: number;

  beforeAll(async () => {
    requireBuiltApp();
    workDir = await mkdtemp(path.join(tmpdir(), 'parley-calls-e2e-'));
    recordingPath = await synthesizeSpeech(TURNS, {
      outPath: path.join(workDir, 'pricing-call.wav'),
      pauseSeconds: 1.2,
    });
    const parley = await createTestApp({
      PARLEY_WEB_DIR: WEB_DIST,
      PARLEY_TRANSCRIPTION_ENGINE: 'pocketsphinx',
    });
    app = parley;
    const request = injector(parley);
    const acme = await seedAccount(parley, 'Acme');
    accountId = acme.accountId;
    const member = async (email: string, name: string) => {
      const response = await request({
        method: 'POST',
        url: `/api/v1/accounts/${String(accountId)}/members`,
        headers: bearer(TEST_PLATFORM_TOKEN),
        payload: { email, name, password: PASSWORD, role: 'administrator' },
      });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<{ userId: number }>().userId;
    };
    admin.userId = await member(admin.email, admin.name);
    otherUserId = await member('bo@acme.example', 'Bo Seller');
    // The default minimum (two minutes, Modjo's) would refuse a short test recording.
    const settings = await request({
      method: 'PATCH',
      url: `/api/v1/accounts/${String(accountId)}`,
      headers: bearer(acme.apiKey),
      payload: { settings: { callMinimumDurationSeconds: 1 } },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    // An older, tagged call of another owner, for the library's filters (tags come from
    // providers' uploads, so it is written through the core's tables).
    const db = parley.parley.ctx.db;
    const [older] = await db
      .insert(calls)
      .values({
        accountId,
        title: 'Renewal with Initech',
        startedAt: new Date('2026-01-20T10:00:00Z'),
        userId: otherUserId,
        state: 'failed',
        failureReason: 'no recording was uploaded before the upload link expired',
        recordingExtension: 'wav',
      })
      .returning({ id: calls.id });
    const [vip] = await db
      .insert(callTags)
      .values({ accountId, name: 'vip', color: 'C2185B' })
      .returning({ id: callTags.id });
    if (older && vip) await db.insert(callTagLinks).values({ accountId, callId: older.id, tagId: vip.id });

    await parley.parley.startBackground();
    await parley.parley.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${String((parley.parley.server.server.address() as AddressInfo).port)}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Index of the transcript segment marked as playing, or -1. */
  const currentSegment = (page: Page) =>
    page
      .locator('.transcript > li')
      .evaluateAll((items: unknown[]) =>
        items.findIndex((item) => (item as Attributes).getAttribute('aria-current') === 'true'),
      );
  const audioTime = (page: Page) =>
    page.locator('audio').evaluate((audio: unknown) => (audio as AudioLike).currentTime);

  const distanceFrom = async (page: Page, seconds: number | undefined) =>
    Math.abs((await audioTime(page)) - (seconds ?? Infinity));

  it('uploads a real recording, then plays it with the transcript following', async () => {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const csp = watchCspViolations(page);

    await page.goto(`${base}/accounts/${String(accountId)}/calls`);
    await page.waitForURL(/\/signin/);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`/accounts/${String(accountId)}/calls$`));
    const table = page.getByRole('table');
    await table.getByRole('link', { name: 'Renewal with Initech' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Upload through the form; the new call shows its processing status until it is ready.
    await page.getByLabel(/^Recording/).setInputFiles(recordingPath);
    await page.getByLabel('Title').fill('Pricing call');
    await page.getByRole('button', { name: 'Upload' }).click();
    const status = page.locator('.uploaded-call');
    await status.getByRole('link', { name: 'Pricing call' }).waitFor();
    await table.getByRole('link', { name: 'Pricing call' }).waitFor();
    // Probe, pocketsphinx and the summary run for real; the page polls, no reload.
    await status.locator('[data-state=summarized]').waitFor({ timeout: 45_000 });

    if (process.env.PARLEY_SCREENSHOTS === '1') {
      await mkdir('docs/screenshots', { recursive: true });
      await page.screenshot({ path: 'docs/screenshots/calls.png' });
    }

    // Filters: by tag, by owner (both in the URL), then cleared.
    const filters = page.getByRole('form', { name: 'Filter calls' });
    await filters.getByLabel('Tag').selectOption({ label: 'vip' });
    await expect.poll(() => table.getByRole('link').allInnerTexts()).toEqual(['Renewal with Initech']);
    expect(page.url()).toContain('tag=');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await filters.getByLabel('Owner').selectOption({ label: admin.name });
    await expect.poll(() => table.getByRole('link').allInnerTexts()).toEqual(['Pricing call']);

    await table.getByRole('link', { name: 'Pricing call' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pricing call' }).waitFor();
    const segments = page.locator('.transcript .segment-seek');
    await segments.first().waitFor();
    const segmentCount = await segments.count();
    expect(segmentCount).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.call-summary').innerText()).not.toBe('');
    expect(await page.locator('.call-topics li').count()).toBeGreaterThan(0);
    const starts = await segments.evaluateAll((buttons: unknown[]) =>
      buttons.map((button) => Number((button as Attributes).getAttribute('data-start'))),
    );

    // Play (muted: headless Chromium allows muted playback without a gesture) and watch the
    // highlight move from one segment to a later one as the time advances.
    await page.locator('audio').evaluate(async (element: unknown) => {
      const audio = element as AudioLike;
      audio.muted = true;
      await audio.play();
    });
    await expect.poll(() => currentSegment(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(0);
    const first = await currentSegment(page);
    await expect.poll(() => currentSegment(page), { timeout: 15_000 }).toBeGreaterThan(first);
    expect(await audioTime(page)).toBeGreaterThan(starts[first] ?? 0);

    // Clicking a later segment seeks there; the highlight follows at once.
    const lastIndex = segmentCount - 1;
    await page.locator('audio').evaluate((audio: unknown) => (audio as AudioLike).pause());
    await segments.nth(lastIndex).click();
    await expect.poll(() => distanceFrom(page, starts[lastIndex])).toBeLessThan(0.3);
    await expect.poll(() => currentSegment(page)).toBe(lastIndex);

    // Keyboard: one tab stop; arrows move between segments, Enter seeks.
    await segments.nth(lastIndex).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => distanceFrom(page, starts[1])).toBeLessThan(0.3);
    const tabStops = await segments.evaluateAll(
      (buttons: unknown[]) =>
        buttons.filter((button) => (button as { tabIndex: number }).tabIndex === 0).length,
    );
    expect(tabStops).toBe(1);

    // The highlight should sit mid-transcript for the picture.
    await segments.nth(Math.min(1, lastIndex)).click();
    if (process.env.PARLEY_SCREENSHOTS === '1') {
      await mkdir('docs/screenshots', { recursive: true });
      await page.screenshot({ path: 'docs/screenshots/call.png' });
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  }, 90_000);
});
