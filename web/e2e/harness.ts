import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../../src/testing/app.js';
import { launchChromium, watchCspViolations } from './browser.js';

export interface Person {
  email: string;
  password: string;
}

/** A Parley on a real port and a Chromium to drive it, closed together. */
export interface BrowserHarness {
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** A page in a fresh context (its own cookies), with its CSP violations collected. */
  openPage(options?: { timeoutMs?: number }): Promise<{ page: Page; csp: string[] }>;
  /** Signs in through the form, then opens `accountId`'s inbox when given (a user may have several). */
  signIn(page: Page, person: Person, accountId?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the app's background work and a listener on a free port, then Chromium. The app is the
 * test's (created and seeded as it needs); `close` closes every context, the browser, then it.
 */
export async function startBrowserHarness(app: TestApp): Promise<BrowserHarness> {
  await app.parley.startBackground();
  await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${String((app.parley.server.server.address() as AddressInfo).port)}`;
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await app.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    base,
    async openPage(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      context.setDefaultTimeout(options.timeoutMs ?? 10_000);
      contexts.push(context);
      const page = await context.newPage();
      return { page, csp: watchCspViolations(page) };
    },
    async signIn(page, person, accountId) {
      await page.goto(`${base}/signin`);
      await page.getByLabel('Email').fill(person.email);
      await page.getByLabel('Password').fill(person.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/inbox/);
      if (accountId !== undefined) await page.goto(`${base}/accounts/${String(accountId)}/inbox`);
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await app.close();
    },
  };
}

/** The harness `beforeAll` started, or a clear failure when it could not start. */
export function started(harness: BrowserHarness | undefined): BrowserHarness {
  if (!harness) throw new Error('the browser harness did not start');
  return harness;
}
