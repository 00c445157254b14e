import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  bearer,
  createTestApp,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import {
  browserSkipReason,
  launchChromium,
  requireBuiltApp,
  seriousAxeViolations,
  WEB_DIST,
} from './browser.js';

const WIDGET_FILE = `${WEB_DIST}/widget.js`;
const MAX_GZIPPED_BYTES = 50 * 1024;
const AGENT = { email: 'alice@acme.example', password: 'correct horse battery', name: 'Alice Agent' };

// Run in the page (serialized, so self-contained); the test's own types know no DOM.
/** Whether the element lives in a shadow root (a document has no `host`). */
const IN_SHADOW_ROOT = (node: unknown) =>
  (node as { getRootNode(): { host?: unknown } }).getRootNode().host !== undefined;
/** Whether the element has focus inside its shadow root. */
const HAS_FOCUS = (node: unknown) =>
  (node as { getRootNode(): { activeElement: unknown } }).getRootNode().activeElement === node;
const FONT_SIZE = (node: unknown) =>
  (globalThis as unknown as { getComputedStyle(element: unknown): { fontSize: string } }).getComputedStyle(
    node,
  ).fontSize;

/** Chatwoot's embed snippet (an inbox's `web_widget_script`), as websites moving from Chatwoot have it. */
function chatwootSnippet(parley: string, websiteToken: string): string {
  return `<script>(function(d,t) {
  var BASE_URL="${parley}/chatwoot";
  var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
  g.src=BASE_URL+"/packs/js/sdk.js"; g.defer = true; g.async = true;
  s.parentNode.insertBefore(g,s);
  g.onload=function(){ window.chatwootSDK.run({ websiteToken: '${websiteToken}', baseUrl: BASE_URL }) }
})(document,"script");</script>`;
}

/** A customer's website: another origin, with CSS that would wreck an unisolated widget. */
function sitePage(snippet: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>button { display: none !important; } * { font-size: 40px !important; color: red !important; }</style>
</head><body><main><h1>The shop</h1><p>Products.</p></main>
${snippet}
</body></html>`;
}

/**
 * The chat widget end to end: a page on another origin embeds /widget.js; a visitor writes; an
 * agent in the web app sees it live and replies; the visitor sees the reply live, and again after
 * a reload.
 */
describe.skipIf(browserSkipReason !== null)(`the chat widget in a browser (${backendName})`, () => {
  let app: TestApp | undefined;
  let site: Server | undefined;
  let browser: Browser | undefined;
  let parley: string;
  let shop: string;
  let accountId: number;
  let inboxIdentifier: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    requireBuiltApp();
    if (!existsSync(WIDGET_FILE)) throw new Error('web/dist/widget.js is missing: run `npm run build:web`');
    const started = await createTestApp({ PARLEY_WEB_DIR: WEB_DIST });
    app = started;
    const acme = await seedAccount(started, 'Acme');
    accountId = acme.accountId;
    const call = async (url: string, payload: Record<string, unknown>, headers: Record<string, string>) => {
      const response = await started.parley.server.inject({ method: 'POST', url, payload, headers });
      if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const agent = await call(
      `/api/v1/accounts/${accountId}/members`,
      { ...AGENT, role: 'agent' },
      bearer(TEST_PLATFORM_TOKEN),
    );
    const adminKey = { api_access_token: acme.apiKey };
    const inbox = await call(
      `/chatwoot/api/v1/accounts/${accountId}/inboxes`,
      { name: 'Shop support', channel: { type: 'web_widget', website_url: 'https://shop.example' } },
      adminKey,
    );
    // The snippet in the inbox's settings names it by this identifier (Chatwoot's website token).
    inboxIdentifier = inbox.website_token;
    await call(
      `/chatwoot/api/v1/accounts/${accountId}/inbox_members`,
      { inbox_id: inbox.id, user_ids: [agent.userId] },
      adminKey,
    );
    await started.parley.startBackground();
    await started.parley.server.listen({ port: 0, host: '127.0.0.1' });
    parley = `http://127.0.0.1:${(started.parley.server.server.address() as AddressInfo).port}`;

    const pages = new Map([
      [
        '/',
        sitePage(`<script src="${parley}/widget.js" data-inbox-token="${inboxIdentifier}" async></script>`),
      ],
      ['/from-chatwoot', sitePage(chatwootSnippet(parley, inboxIdentifier))],
    ]);
    site = createServer((request, response) => {
      const html = pages.get(request.url ?? '/');
      if (html) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => site?.listen(0, '127.0.0.1', resolve));
    // `localhost` on another port: another origin than Parley's `127.0.0.1`, by host and port.
    shop = `http://localhost:${(site.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await app?.close();
  });

  async function newPage(): Promise<Page> {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  }

  it('weighs under 50 KB gzipped', () => {
    const gzipped = gzipSync(readFileSync(WIDGET_FILE), { level: 9 }).length;
    console.info(`widget.js: ${readFileSync(WIDGET_FILE).length} bytes, ${gzipped} gzipped`);
    expect(gzipped).toBeLessThan(MAX_GZIPPED_BYTES);
  });

  it('carries a conversation from a page on another origin to an agent and back', async () => {
    // The agent signs in first and watches the inbox: the visitor's message must arrive live.
    const agent = await newPage();
    await agent.goto(`${parley}/`);
    await agent.getByLabel('Email').fill(AGENT.email);
    await agent.getByLabel('Password').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    // No conversation exists yet, so the tab shows a message rather than an (empty) listbox.
    await agent.getByRole('tab', { name: /All/ }).click();
    await agent.getByText('No conversations here.').waitFor();
    const list = agent.getByRole('listbox', { name: 'Conversations' });

    const visitor = await newPage();
    const sockets: string[] = [];
    visitor.on('websocket', (socket) => sockets.push(socket.url()));
    await visitor.goto(shop);
    const bubble = visitor.getByRole('button', { name: 'Open chat' });
    // The page hides every button and blows up fonts: none of it reaches the shadow root.
    await bubble.waitFor({ state: 'visible' });
    await bubble.click();
    const dialog = visitor.getByRole('dialog', { name: 'Shop support' });
    await dialog.waitFor();
    const textbox = visitor.getByRole('textbox', { name: 'Message' });
    // In a shadow root (the page's CSS cannot reach it), with focus moved into the panel.
    expect(await textbox.evaluate(IN_SHADOW_ROOT)).toBe(true);
    await expect.poll(() => textbox.evaluate(HAS_FOCUS)).toBe(true);
    expect(await textbox.evaluate(FONT_SIZE)).not.toBe('40px');

    await textbox.fill('Hello from the shop');
    await textbox.press('Enter');
    await visitor.locator('.message.visitor', { hasText: 'Hello from the shop' }).waitFor();
    expect(await seriousAxeViolations(visitor)).toEqual([]);

    // Without a reload, the new conversation shows in the agent's list; the agent opens it.
    await list.getByRole('option').filter({ hasText: 'Hello from the shop' }).click();
    await agent.locator('.message.incoming', { hasText: 'Hello from the shop' }).waitFor();
    await agent.getByRole('textbox', { name: 'Reply' }).fill('Hi! How can we help?');
    await agent.getByRole('button', { name: 'Send' }).click();

    // The visitor sees the reply without reloading, over the widget's WebSocket.
    await visitor.locator('.message.agent', { hasText: 'Hi! How can we help?' }).waitFor();
    expect(
      sockets.some((url) => url.startsWith(parley.replace('http', 'ws')) && url.endsWith('/realtime')),
    ).toBe(true);
    // ...and the agent sees the visitor's next message live in the open conversation.
    await textbox.fill('My order is late');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await agent.locator('.message.incoming', { hasText: 'My order is late' }).waitFor();

    // Typing shows both ways: the visitor's in the agent's thread, the agent's in the widget.
    await textbox.fill('Also, can I');
    await agent.locator('.typing', { hasText: 'is typing' }).waitFor();
    await agent.getByRole('textbox', { name: 'Reply' }).fill('Let me check');
    await visitor.locator('.typing', { hasText: 'An agent is typing' }).waitFor();
    await agent.getByRole('textbox', { name: 'Reply' }).fill('');
    // Clearing the reply box stops it.
    await expect.poll(() => visitor.locator('.typing').textContent()).toBe('');
    await textbox.fill('');

    // Escape closes the panel and gives focus back to the bubble.
    await textbox.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => bubble.evaluate(HAS_FOCUS)).toBe(true);

    // A reload continues the same conversation.
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.locator('.message.agent', { hasText: 'Hi! How can we help?' }).waitFor();
    await visitor.locator('.message.visitor', { hasText: 'My order is late' }).waitFor();
    await agent.getByRole('textbox', { name: 'Reply' }).fill('It ships today.');
    await agent.getByRole('button', { name: 'Send' }).click();
    await visitor.locator('.message.agent', { hasText: 'It ships today.' }).waitFor();
    expect(await list.getByRole('option').count()).toBe(1);
    if (process.env.PARLEY_SCREENSHOTS === '1') {
      await mkdir('docs/screenshots', { recursive: true });
      await visitor.screenshot({ path: 'docs/screenshots/widget.png' });
    }

    // The page's origin may use the widget's API, and nothing else of Parley's.
    const outcome = (url: string) =>
      visitor.evaluate(async (target) => {
        try {
          await fetch(target);
          return 'allowed';
        } catch {
          return 'refused';
        }
      }, url);
    expect(await outcome(`${parley}/chatwoot/public/api/v1/inboxes/${inboxIdentifier}`)).toBe('allowed');
    expect(await outcome(`${parley}/api/v1/accounts/${accountId}/conversations`)).toBe('refused');
    expect(await outcome(`${parley}/chatwoot/api/v1/accounts/${accountId}/conversations`)).toBe('refused');
  }, 60_000);

  it("runs from Chatwoot's embed snippet too", async () => {
    const visitor = await newPage();
    await visitor.goto(`${shop}from-chatwoot`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.getByRole('dialog', { name: 'Shop support' }).waitFor();
    await visitor.getByRole('textbox', { name: 'Message' }).fill('Hello via the Chatwoot snippet');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.locator('.message.visitor', { hasText: 'Hello via the Chatwoot snippet' }).waitFor();
  });
});
