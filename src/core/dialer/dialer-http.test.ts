import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';
import { campaignContacts, campaigns, wrapupCodes } from '../campaigns/campaigns.tables.js';
import { ensureSystemWrapups } from '../campaigns/wrapups.js';
import { contacts } from '../contacts/contacts.tables.js';
import { addAgent } from './dialed-call.test-kit.js';
import { dialerEngineOf } from './dialer-runtime.js';
import { dialerTick } from './dialer.js';
import { ALWAYS_OPEN } from './dialer.test-kit.js';

let app: TestApp;
const PHONE = '33600000901';

beforeAll(async () => {
  // The app's carrier simulator answers this number at once and talks for half a second.
  app = await createTestApp({
    PARLEY_DIALER_SIMULATOR: JSON.stringify({
      seed: 3,
      forcedOutcomes: { [PHONE]: { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 0.5 } },
    }),
  });
});
afterAll(async () => {
  await app.close();
});

describe('the dialer on the native API', () => {
  it('starts a campaign, logs an agent in, dials, wraps up over HTTP and shows the audit trail', async () => {
    const inject = injector(app);
    const { accountId, apiKey } = await seedAccount(app, 'Dialer HTTP');
    const other = await seedAccount(app, 'Someone else');
    const db = app.parley.ctx.db;
    const agentId = await addAgent(app, accountId, 'dialer-agent@example.test');
    const [campaign] = await db
      .insert(campaigns)
      .values({
        accountId,
        name: 'HTTP',
        mode: 'progressive',
        phoneFields: ['mobile'],
        callingWindows: ALWAYS_OPEN,
      })
      .returning();
    const campaignId = campaign?.id ?? 0;
    const [core] = await db
      .insert(contacts)
      .values({ accountId, name: 'Callee', phoneNumber: `+${PHONE}` })
      .returning();
    await db.insert(campaignContacts).values({
      accountId,
      campaignId,
      contactNumber: 1,
      contactId: core?.id ?? 0,
      priority: 10,
      phones: { mobile: `+${PHONE}` },
      phoneNumbers: [PHONE],
    });
    const base = `/api/v1/accounts/${accountId}/campaigns/${campaignId}`;
    const admin = bearer(apiKey);

    const started = await inject({ method: 'POST', url: `${base}/start`, headers: admin });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ id: campaignId, isPaused: false });
    const foreign = await inject({ method: 'POST', url: `${base}/start`, headers: bearer(other.apiKey) });
    expect(foreign.statusCode).toBe(404);
    const joined = await inject({ method: 'POST', url: `${base}/agents/${agentId}/join`, headers: admin });
    expect(joined.statusCode).toBe(200);
    expect(joined.json()).toMatchObject({ userId: agentId, state: 'ready' });
    const me = await inject({ method: 'POST', url: `${base}/agents/me/join`, headers: admin });
    expect(me.statusCode).toBe(403);

    const engine = dialerEngineOf(app.parley.ctx.config);
    if (!engine) throw new Error('no dialer engine');
    const { attemptIds } = await dialerTick(engine, campaignId, accountId);
    expect(attemptIds).toHaveLength(1);
    const attempt = await waitFor(
      async () => {
        const page = await inject({ method: 'GET', url: `${base}/dialer/attempts`, headers: admin });
        const [row] = page.json<{ data: { id: number; endedAt: string | null; outcome: string | null }[] }>()
          .data;
        return row?.endedAt ? row : undefined;
      },
      { what: 'the call to end' },
    );
    expect(attempt.outcome).toBe('answered');

    await ensureSystemWrapups(db, accountId);
    const codes = await db.select().from(wrapupCodes).where(eq(wrapupCodes.accountId, accountId));
    const interested = codes.find((code) => code.status === 'arguedpositive');
    const wrapUrl = `/api/v1/accounts/${accountId}/dialer/attempts/${attempt.id}/wrapup`;
    const bad = await inject({ method: 'POST', url: wrapUrl, headers: admin, payload: { wrapupId: 'x' } });
    expect(bad.statusCode).toBe(422);
    const missing = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountId}/dialer/attempts/999999/wrapup`,
      headers: admin,
      payload: { wrapupId: interested?.id },
    });
    expect(missing.statusCode).toBe(404);
    const wrapped = await inject({
      method: 'POST',
      url: wrapUrl,
      headers: admin,
      payload: { wrapupId: interested?.id, comment: 'Yes' },
    });
    expect(wrapped.statusCode).toBe(200);
    expect(wrapped.json()).toMatchObject({ id: attempt.id, wrapupStatus: 'arguedpositive', agentId });
    const again = await inject({
      method: 'POST',
      url: wrapUrl,
      headers: admin,
      payload: { wrapupId: interested?.id },
    });
    expect(again.statusCode).toBe(409);

    const agents = await inject({ method: 'GET', url: `${base}/agents`, headers: admin });
    expect(agents.json()).toMatchObject({ data: [{ userId: agentId, state: 'ready' }] });
    const decisions = await inject({
      method: 'GET',
      url: `${base}/dialer/decisions?limit=50`,
      headers: admin,
    });
    expect(decisions.statusCode).toBe(200);
    const kinds = decisions.json<{ data: { kind: string }[] }>().data.map((row) => row.kind);
    expect(kinds).toEqual(expect.arrayContaining(['pace', 'dial', 'connect', 'wrapup']));
    const paused = await inject({
      method: 'PUT',
      url: `${base}/agents/${agentId}/state`,
      headers: admin,
      payload: { state: 'paused' },
    });
    expect(paused.json()).toMatchObject({ state: 'paused' });
    const left = await inject({ method: 'POST', url: `${base}/agents/${agentId}/leave`, headers: admin });
    expect(left.statusCode).toBe(204);
    const stopped = await inject({ method: 'POST', url: `${base}/pause`, headers: admin });
    expect(stopped.json()).toMatchObject({ isPaused: true });
  });
});
