import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../src/testing/app.js';
import { backendName } from '../../src/testing/database.js';
import { waitFor } from '../../src/testing/wait.js';
import { browserSkipReason, requireBuiltApp, seriousAxeViolations, WEB_DIST } from './browser.js';
import { startBrowserHarness, started, type BrowserHarness, type Person } from './harness.js';
import { seedInbox, type Seeded } from './seed.js';

/** How long a figure may take to reach the screen (real-time event, refetch, render). */
const eventually = { timeout: 20_000 };

interface Queue {
  id: number;
  name: string;
  offeringAlgorithm: string;
  live: { waiting: number; offered: number };
}

/**
 * Queues & presence in a real browser against a real Parley: queues seeded through the API show
 * their live figures, an administrator changes a queue's algorithm and its members (the API then
 * says the same), and an agent going Away in another browser shows on the administrator's screen
 * without a reload.
 */
describe.skipIf(browserSkipReason !== null)(`queues and presence in a browser (${backendName})`, () => {
  let app: TestApp | undefined;
  let harness: BrowserHarness | undefined;
  let base: string;
  let seeded: Seeded;
  const queueIds: Record<'Billing' | 'Sales', number> = { Billing: 0, Sales: 0 };

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}/api/v1/accounts/${String(seeded.accountId)}${path}`, {
      method,
      headers: { authorization: `Bearer ${seeded.apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${String(response.status)} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** A visitor writes through the public client API: the conversation joins the inbox's queue. */
  async function visitorWrites(identifier: string, name: string): Promise<void> {
    const client = `${base}/chatwoot/public/api/v1/inboxes/${identifier}`;
    const post = async <T>(url: string, body: unknown): Promise<T> => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST ${url}: ${String(response.status)}`);
      return (await response.json()) as T;
    };
    const contact = await post<{ source_id: string }>(`${client}/contacts`, { name });
    const conversation = await post<{ id: number }>(
      `${client}/contacts/${contact.source_id}/conversations`,
      {},
    );
    await post(`${client}/contacts/${contact.source_id}/conversations/${String(conversation.id)}/messages`, {
      content: `Hello from ${name}`,
    });
  }

  beforeAll(async () => {
    requireBuiltApp();
    const parley = await createTestApp({ PARLEY_WEB_DIR: WEB_DIST });
    app = parley;
    seeded = await seedInbox(parley, 0);
    harness = await startBrowserHarness(parley);
    base = harness.base;

    // Two queues, each fed by an inbox of its own. Sales offers to the agent (Working, long offers);
    // Billing has no member yet, so its conversations wait.
    for (const name of ['Billing', 'Sales'] as const) {
      const queue = await api<Queue>('POST', '/routing-queues', {
        name,
        offeringAlgorithm: 'AllAtOnce',
        offerTimeout: 3600,
      });
      queueIds[name] = queue.id;
      const inbox = await api<{ id: number; identifier: string }>('POST', '/inboxes', {
        channelType: 'api',
        name: `${name} desk`,
      });
      await api('PUT', `/routing-queues/${String(queue.id)}/usages`, { inboxIds: [inbox.id] });
      if (name === 'Sales') {
        await api('PATCH', `/members/${String(seeded.agent.userId)}`, { availability: 'online' });
        await api('PUT', `/routing-queues/${String(queue.id)}/members/${String(seeded.agent.userId)}`, {
          priority: 1,
        });
      }
      const visitors = name === 'Billing' ? 3 : 2;
      for (let index = 1; index <= visitors; index += 1)
        await visitorWrites(inbox.identifier, `${name} visitor ${String(index)}`);
    }
    // Sales's two conversations are offered (by the job worker), Billing's three wait.
    await waitFor(
      async () => {
        const { data } = await api<{ data: Queue[] }>('GET', '/routing-queues');
        const figures = data.map((queue) => [queue.live.waiting, queue.live.offered]);
        return (
          JSON.stringify(figures) ===
          JSON.stringify([
            [3, 0],
            [0, 2],
          ])
        );
      },
      { timeoutMs: 15_000, what: 'Billing waiting 3, Sales offered 2' },
    );
  }, 120_000);
  afterAll(async () => {
    await (harness ?? app)?.close();
  });

  // Generous: browser tests share the machine with everything else a CI run starts.
  const openPage = () => started(harness).openPage({ timeoutMs: 20_000 });
  // The administrator belongs to two accounts; the queues are Acme's.
  const signIn = (page: Page, person: Person) => started(harness).signIn(page, person, seeded.accountId);

  /** The live figures of a queue's row: waiting, offered, longest wait, members, SLA, algorithm. */
  async function rowFigures(page: Page, name: string): Promise<string[]> {
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    return row.getByRole('cell').allInnerTexts();
  }

  it('lists the queues with their live figures, and shows an agent going Away without a reload', async () => {
    const { page, csp } = await openPage();
    await signIn(page, seeded.admin);

    await page.getByRole('link', { name: 'Queues', exact: true }).click();
    // The first visit loads the screen's chunk: allow for a busy machine.
    await page.getByRole('heading', { name: 'Routing queues' }).waitFor({ timeout: 30_000 });
    await expect
      .poll(() => rowFigures(page, 'Billing'), eventually)
      .toEqual(['3', '0', expect.stringMatching(/\d/), '0 / 0 / 0', '—', 'All at once']);
    await expect
      .poll(() => rowFigures(page, 'Sales'), eventually)
      .toEqual(['0', '2', expect.stringMatching(/\d/), '1 / 1 / 1', '—', 'All at once']);
    const alice = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Alice Agent/ }) });
    await expect
      .poll(() => alice.getByRole('cell').allInnerTexts(), eventually)
      .toEqual(['Online', 'Working', expect.any(String)]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The agent, in a browser of their own, switches to Away in the header.
    const agent = await openPage();
    await signIn(agent.page, seeded.agent);
    // (On Contacts: the agent's inbox tab is empty here, and the header is the same on every screen.)
    await agent.page.getByRole('link', { name: 'Contacts', exact: true }).click();
    await agent.page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    const control = agent.page.getByLabel('Your presence');
    await expect.poll(() => control.inputValue(), eventually).toBe('Working');
    expect(await agent.page.getByRole('link', { name: 'Queues' }).count()).toBe(0);
    await control.selectOption('Away');
    await expect.poll(() => control.inputValue(), eventually).toBe('Away');
    expect(await seriousAxeViolations(agent.page)).toEqual([]);

    // The administrator's screen follows: Alice is Away, and Sales has nobody Working.
    await expect
      .poll(() => alice.getByRole('cell').allInnerTexts(), eventually)
      .toEqual(['Online', 'Away', expect.any(String)]);
    // (Its offers may move on meanwhile: only the members are asserted.)
    await expect.poll(async () => (await rowFigures(page, 'Sales'))[3], eventually).toBe('1 / 0 / 1');
    const presence = await api<{ data: { userId: number; presenceStatus: string | null }[] }>(
      'GET',
      '/presence',
    );
    expect(presence.data.find((row) => row.userId === seeded.agent.userId)?.presenceStatus).toBe('Away');

    if (process.env.PARLEY_SCREENSHOTS === '1') {
      await mkdir('docs/screenshots', { recursive: true });
      await page.screenshot({ path: 'docs/screenshots/queues.png' });
    }
    expect(csp).toEqual([]);
    expect(agent.csp).toEqual([]);
  }, 120_000);

  it("changes a queue's algorithm and members from the keyboard; the API says the same", async () => {
    const { page, csp } = await openPage();
    await signIn(page, seeded.admin);
    await page.goto(`${base}/accounts/${String(seeded.accountId)}/queues`);

    // Open Billing with the keyboard.
    await page.getByRole('link', { name: 'Billing', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/queues/${String(queueIds.Billing)}$`));
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    const settings = page.getByRole('form', { name: 'Settings' });
    await expect
      .poll(() => settings.getByLabel('Offering algorithm').inputValue(), eventually)
      .toBe('AllAtOnce');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A bad value is refused under its field, then a good one saved with Enter.
    await settings.getByLabel('Offer timeout (seconds)').fill('0');
    await settings.getByLabel('Offer timeout (seconds)').press('Enter');
    await expect
      .poll(() => settings.getByLabel('Offer timeout (seconds)').getAttribute('aria-invalid'), eventually)
      .toBe('true');
    expect(
      (await api<Queue & { offerTimeout: number }>('GET', `/routing-queues/${String(queueIds.Billing)}`))
        .offerTimeout,
    ).toBe(3600);
    await settings.getByLabel('Offer timeout (seconds)').fill('45');
    await settings.getByLabel('Offering algorithm').selectOption('LongestIdle');
    await settings.getByLabel('Name').press('Enter');
    await settings.getByText('Saved.').waitFor();
    const saved = await api<Queue & { offerTimeout: number }>(
      'GET',
      `/routing-queues/${String(queueIds.Billing)}`,
    );
    expect(saved).toMatchObject({ offeringAlgorithm: 'LongestIdle', offerTimeout: 45, name: 'Billing' });
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Offering algorithm').inputValue(), eventually)
      .toBe('LongestIdle');

    // Add the administrator (online in this browser) with priority 2: Billing's three waiting
    // conversations are offered to them, and the figures follow without a reload.
    const members = page.getByRole('region', { name: 'Members' });
    await members
      .getByLabel('Agent', { exact: true })
      .selectOption({ label: `${seeded.admin.name} (${seeded.admin.email})` });
    await members.getByLabel('Priority', { exact: true }).fill('2');
    await members.getByLabel('Priority', { exact: true }).press('Enter');
    await members.getByRole('rowheader', { name: seeded.admin.name }).waitFor();
    const path = `/routing-queues/${String(queueIds.Billing)}/members`;
    expect((await api<{ data: { userId: number; priority: number }[] }>('GET', path)).data).toEqual([
      expect.objectContaining({ userId: seeded.admin.userId, priority: 2 }),
    ]);
    const offered = page.getByRole('definition').nth(1);
    await expect.poll(() => offered.innerText(), eventually).toBe('3');

    // Priority 1 from the row, with Enter; then removal, confirmed.
    await members.getByLabel(`Priority of ${seeded.admin.name}`, { exact: true }).fill('1');
    await members.getByLabel(`Priority of ${seeded.admin.name}`, { exact: true }).press('Enter');
    await expect
      .poll(
        async () =>
          (await api<{ data: { priority: number }[] }>('GET', path)).data.map((row) => row.priority),
        eventually,
      )
      .toEqual([1]);
    await members.getByRole('button', { name: `Remove ${seeded.admin.name}` }).click();
    await members.getByRole('button', { name: 'Confirm' }).click();
    await members.getByText('No member yet.').waitFor();
    expect((await api<{ data: unknown[] }>('GET', path)).data).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(csp).toEqual([]);
  }, 120_000);
});
