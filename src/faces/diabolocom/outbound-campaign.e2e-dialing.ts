import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';
import type { DiabolocomTestAccount, Inject } from './diabolocom-test-kit.js';

/** What the dialling phase of the end-to-end test saw, read back from the dialer's audit API. */
export interface DialOutcome {
  wrappedUp: number;
  /** The most attempts live at one instant. */
  maxLiveCalls: number;
  /** Contacts dialled more than once (callbacks asked for at wrap-up). */
  retried: number;
  contactsCalled: number;
  /** Digits, as dialled. */
  dialledNumbers: string[];
  /** Core calls (= Diabolocom interaction ids) of recorded attempts. */
  recordedCallIds: number[];
}

interface Attempt {
  id: number;
  campaignContactId: number | null;
  agentId: number | null;
  callId: number | null;
  phoneNumber: string;
  placedAt: string;
  endedAt: string | null;
  connectedAt: string | null;
  wrappedUpAt: string | null;
}

interface DialingSetup {
  app: TestApp;
  inject: Inject;
  account: DiabolocomTestAccount;
  campaignId: number;
  agents: { userId: number }[];
  /** Wrap-ups to make before pausing the campaign. */
  calls: number;
}

/**
 * Plays the agents' part through the native API: online, logged into the campaign, the campaign
 * started; then, as calls end, each is wrapped up, one in four as a callback one second later
 * (a `tocall` code with `retryAt`: the retry the wrap-up drives) and the rest as sold.
 */
export async function dialWithAgents(setup: DialingSetup): Promise<DialOutcome> {
  const { account, campaignId } = setup;
  const native = (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: unknown) =>
    setup.inject({
      method,
      url: `/api/v1/accounts/${account.accountId}${path}`,
      headers: bearer(account.apiKey),
      ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
    });
  const { callback, sold } = await wrapupCodes(account);
  for (const agent of setup.agents) {
    const online = await setup.inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}/members/${agent.userId}`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { availability: 'online' },
    });
    expectStatus(online.statusCode, 200, online.body);
    const joined = await native('POST', `/campaigns/${campaignId}/agents/${agent.userId}/join`);
    expectStatus(joined.statusCode, 200, joined.body);
  }
  const started = await native('POST', `/campaigns/${campaignId}/start`);
  expectStatus(started.statusCode, 200, started.body);

  let wrappedUp = 0;
  await waitFor(
    async () => {
      const agents = (await native('GET', `/campaigns/${campaignId}/agents`)).json<{
        data: { state: string; attemptId: number | null }[];
      }>().data;
      for (const agent of agents) {
        if (agent.state !== 'wrap_up' || agent.attemptId === null) continue;
        const isCallback = wrappedUp % 4 === 0;
        const body = isCallback
          ? {
              wrapupId: callback,
              retryAt: new Date(Date.now() + 1_000).toISOString(),
              comment: 'call me back',
            }
          : { wrapupId: sold };
        const response = await native('POST', `/dialer/attempts/${agent.attemptId}/wrapup`, body);
        if (response.statusCode === 200) wrappedUp += 1;
      }
      return wrappedUp >= setup.calls && (await retriedContacts(native, campaignId)) > 0;
    },
    { timeoutMs: 150_000, intervalMs: 100, what: `${setup.calls} wrapped-up calls and a retry` },
  );
  const paused = await native('POST', `/campaigns/${campaignId}/pause`);
  expectStatus(paused.statusCode, 200, paused.body);
  // Calls still ringing end on their own; their call records are made by durable jobs.
  const attempts = await waitFor(
    async () => {
      const all = await allAttempts(native, campaignId);
      const settled = all.every((attempt) => attempt.endedAt !== null);
      const recorded = all.some((attempt) => attempt.callId !== null);
      return settled && recorded ? all : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 200, what: 'every attempt ended and a call recorded' },
  );
  const perContact = new Map<number, number>();
  for (const attempt of attempts) {
    if (attempt.campaignContactId === null) continue;
    perContact.set(attempt.campaignContactId, (perContact.get(attempt.campaignContactId) ?? 0) + 1);
  }
  return {
    wrappedUp,
    maxLiveCalls: maxOverlap(attempts),
    retried: [...perContact.values()].filter((count) => count > 1).length,
    contactsCalled: perContact.size,
    dialledNumbers: attempts.map((attempt) => attempt.phoneNumber),
    recordedCallIds: attempts.flatMap((attempt) => (attempt.callId === null ? [] : [attempt.callId])),
  };
}

type Native = (method: 'GET' | 'POST', path: string) => ReturnType<Inject>;

async function allAttempts(native: Native, campaignId: number): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  let cursor: number | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${cursor}`;
    const page = (await native('GET', `/campaigns/${campaignId}/dialer/attempts?limit=200${query}`)).json<{
      data: Attempt[];
      nextCursor: number | null;
    }>();
    attempts.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return attempts;
}

async function retriedContacts(native: Native, campaignId: number): Promise<number> {
  const seen = new Set<number>();
  let retried = 0;
  for (const attempt of await allAttempts(native, campaignId)) {
    if (attempt.campaignContactId === null) continue;
    if (seen.has(attempt.campaignContactId)) retried += 1;
    seen.add(attempt.campaignContactId);
  }
  return retried;
}

/** The highest number of attempts between placed and ended at one instant. */
function maxOverlap(attempts: Attempt[]): number {
  const edges = attempts.flatMap((attempt) => [
    { at: Date.parse(attempt.placedAt), delta: 1 },
    { at: attempt.endedAt === null ? Infinity : Date.parse(attempt.endedAt), delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let live = 0;
  let most = 0;
  for (const edge of edges) {
    live += edge.delta;
    most = Math.max(most, live);
  }
  return most;
}

/** A `tocall` code (callbacks) and an `arguedpositive` one, from the face's wrap-up list. */
async function wrapupCodes(account: DiabolocomTestAccount): Promise<{ callback: number; sold: number }> {
  const codes = (await account.call('GET', '/api/v1/account/wrapups')).json<{
    wrapups: { id: number; status: string }[];
  }>().wrapups;
  const callback = codes.find((code) => code.status === 'tocall')?.id;
  const sold = codes.find((code) => code.status === 'arguedpositive')?.id;
  if (callback === undefined || sold === undefined) throw new Error('no tocall/arguedpositive wrap-up code');
  return { callback, sold };
}

function expectStatus(actual: number, expected: number, body: string): void {
  if (actual !== expected) throw new Error(`expected ${expected}, got ${actual}: ${body}`);
}
