import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { routingEntries } from '../../core/routing/routing.tables.js';
import { setAgentCapacity } from '../../core/routing/index.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from '../chatwoot/conversations.test-kit.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Queue {
  id: number;
  uuid: string;
  name: string;
  offeringAlgorithm: string;
  offerTimeout: number;
  wrapupTimeout: number | null;
  priority: number | null;
  slaTimeLimit: number | null;
  live: {
    waiting: number;
    offered: number;
    longestWaitSeconds: number;
    members: number;
    membersOnline: number;
    membersWorking: number;
  };
}
interface Member {
  userId: number;
  priority: number;
  connectionStatus: string;
  presenceStatus: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

describe(`native routing queues: live figures, settings, members (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let admin: { userId: number; token: string };
  let agent: { userId: number; token: string };

  const call = (
    method: Method,
    path: string,
    options: { token?: string; account?: number; body?: object } = {},
  ) =>
    inject({
      method,
      url: `/api/v1/accounts/${String(options.account ?? acme.accountId)}${path}`,
      headers: bearer(options.token ?? admin.token),
      ...(options.body ? { payload: options.body } : {}),
    });
  const queuesOf = async (token = admin.token) =>
    (await call('GET', '/routing-queues', { token })).json<{ data: Queue[] }>().data;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    acme = await seedAccount(app, 'Acme queues');
    globex = await seedAccount(app, 'Globex queues');
    admin = await seedAgent(app, acme.accountId, { role: 'administrator', availability: 'offline' });
    agent = await seedAgent(app, acme.accountId, { availability: 'online' });
    await app.parley.startBackground();
  }, 120_000);
  afterAll(() => app.close());

  it('lists queues with waiting, offered, longest wait, members online/working/total and the SLA threshold', async () => {
    // A queue made through the Dixa face, with an SLA threshold the native API shows.
    const dixa = await inject({
      method: 'POST',
      url: '/dixa/v1/queues',
      headers: { authorization: acme.apiKey },
      payload: {
        request: {
          name: 'Billing',
          isDefault: false,
          offerTimeout: 600,
          offerAlgorithm: 'OneAtATimeRandom',
          queueThresholds: { SlaTimeLimit: 120 },
          callFunctionality: false,
          isDoNotOfferEnabled: false,
        },
      },
    });
    expect(dixa.statusCode, dixa.body).toBe(201);
    const created = await call('POST', '/routing-queues', {
      body: { name: 'Sales', offeringAlgorithm: 'LongestIdle' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const billing = (await queuesOf()).find((queue) => queue.name === 'Billing');
    if (!billing) throw new Error('Billing is not listed');
    const away = await seedAgent(app, acme.accountId, { availability: 'busy' });
    for (const member of [agent, away, admin]) {
      const added = await call(
        'PUT',
        `/routing-queues/${String(billing.id)}/members/${String(member.userId)}`,
        {
          body: { priority: 1 },
        },
      );
      expect(added.statusCode, added.body).toBe(200);
    }
    // One conversation at a time for the working agent: one offered, the others wait.
    await setAgentCapacity(app.parley.ctx.db, {
      accountId: acme.accountId,
      userId: agent.userId,
      channel: 'api',
      capacity: 1,
    });
    const inbox = await seedInbox(app, acme.accountId);
    const usages = await call('PUT', `/routing-queues/${String(billing.id)}/usages`, {
      body: { inboxIds: [inbox] },
    });
    expect(usages.statusCode, usages.body).toBe(200);
    const contactId = await seedContact(app, acme.accountId);
    const chatwoot = chatwootClient(app, admin.token);
    for (let index = 0; index < 3; index += 1) {
      await openConversation(chatwoot, acme.accountId, { inbox_id: inbox, contact_id: contactId });
    }
    await waitFor(
      async () => (await queuesOf()).find((queue) => queue.id === billing.id)?.live.offered === 1,
      {
        what: 'one offer in Billing',
      },
    );
    // The oldest conversation has waited a minute and a half.
    await app.parley.ctx.db
      .update(routingEntries)
      .set({ enqueuedAt: sql`now() - interval '90 seconds'` })
      .where(and(eq(routingEntries.accountId, acme.accountId), eq(routingEntries.queueId, billing.id)));

    const listed = await queuesOf(agent.token);
    const one = await call('GET', `/routing-queues/${String(billing.id)}`);

    expect(created.json()).toMatchObject({
      name: 'Sales',
      offeringAlgorithm: 'LongestIdle',
      offerTimeout: 30,
      wrapupTimeout: null,
      priority: null,
      slaTimeLimit: null,
      live: {
        waiting: 0,
        offered: 0,
        longestWaitSeconds: 0,
        members: 0,
        membersOnline: 0,
        membersWorking: 0,
      },
    });
    const listedBilling = listed.find((queue) => queue.id === billing.id);
    expect(listedBilling).toMatchObject({
      uuid: dixa.json<{ data: { id: string } }>().data.id,
      offeringAlgorithm: 'OneAtATimeRandom',
      offerTimeout: 600,
      slaTimeLimit: 120,
      live: { waiting: 2, offered: 1, members: 3, membersOnline: 2, membersWorking: 1 },
    });
    expect(listedBilling?.live.longestWaitSeconds).toBeGreaterThanOrEqual(90);
    expect(listedBilling?.live.longestWaitSeconds).toBeLessThan(150);
    expect({ ...one.json<Queue>().live, longestWaitSeconds: 0 }).toEqual({
      ...listedBilling!.live,
      longestWaitSeconds: 0,
    });
    expect(listed.map((queue) => queue.name)).toEqual(['Billing', 'Sales']);
    // The other tenant sees none of it.
    const foreign = await call('GET', '/routing-queues', { token: globex.apiKey, account: globex.accountId });
    expect(foreign.json()).toEqual({ data: [] });
  }, 60_000);

  it('changes settings (administrators), and the Dixa face reads the same row', async () => {
    const queue = (
      await call('POST', '/routing-queues', { body: { name: 'Returns', wrapupTimeout: 20, priority: 4 } })
    ).json<Queue>();

    const patched = await call('PATCH', `/routing-queues/${String(queue.id)}`, {
      body: {
        name: 'Returns EU',
        offeringAlgorithm: 'AgentPriorityLongestIdle',
        offerTimeout: 45,
        wrapupTimeout: null,
        priority: 2,
      },
    });
    const reread = await call('GET', `/routing-queues/${String(queue.id)}`, { token: agent.token });
    const viaDixa = await inject({
      method: 'GET',
      url: `/dixa/v1/queues/${queue.uuid}`,
      headers: { authorization: acme.apiKey },
    });

    expect(patched.statusCode, patched.body).toBe(200);
    const expected = {
      name: 'Returns EU',
      offeringAlgorithm: 'AgentPriorityLongestIdle',
      offerTimeout: 45,
      wrapupTimeout: null,
      priority: 2,
    };
    expect(patched.json()).toMatchObject(expected);
    expect(reread.json()).toMatchObject(expected);
    expect(viaDixa.json<{ data: Record<string, unknown> }>().data).toMatchObject({
      name: 'Returns EU',
      offeringAlgorithm: 'AgentPriorityLongestIdle',
      offerTimeout: 45,
      priority: 2,
    });
    expect(viaDixa.json<{ data: Record<string, unknown> }>().data).not.toHaveProperty('wrapupTimeout');
  });

  it('refuses bad settings with 422 naming the field, and changes nothing', async () => {
    const queue = (await call('POST', '/routing-queues', { body: { name: 'Strict' } })).json<Queue>();
    const path = `/routing-queues/${String(queue.id)}`;

    const answers = await Promise.all(
      [
        [{ offeringAlgorithm: 'Fastest' }, 'body.offeringAlgorithm'],
        [{ offerTimeout: 0 }, 'body.offerTimeout'],
        [{ offerTimeout: 86_401 }, 'body.offerTimeout'],
        [{ wrapupTimeout: -1 }, 'body.wrapupTimeout'],
        [{ name: '   ' }, 'body.name'],
        [{ priority: 1.5 }, 'body.priority'],
        [{ colour: 'red' }, 'body'],
        [{}, 'body'],
      ].map(async ([body, field]) => {
        const response = await call('PATCH', path, { body: body as object });
        return [response.statusCode, response.json<ErrorBody>().error.details[0]?.path, field];
      }),
    );
    const created = await call('POST', '/routing-queues', { body: { offeringAlgorithm: 'AllAtOnce' } });
    const after = await call('GET', path);

    for (const [status, detailPath, field] of answers) expect([status, detailPath]).toEqual([422, field]);
    expect(created.statusCode).toBe(422);
    expect(created.json<ErrorBody>().error.details[0]?.path).toBe('body.name');
    expect(after.json()).toMatchObject({ name: 'Strict', offeringAlgorithm: 'AllAtOnce', offerTimeout: 30 });
  });

  it('keeps agents to reading and other tenants out (403, 404)', async () => {
    const queue = (await call('POST', '/routing-queues', { body: { name: 'Guarded' } })).json<Queue>();
    const path = `/routing-queues/${String(queue.id)}`;
    const other = await seedAgent(app, globex.accountId, { role: 'administrator' });

    const asAgent = await Promise.all([
      call('GET', path, { token: agent.token }),
      call('GET', `${path}/members`, { token: agent.token }),
      call('POST', '/routing-queues', { token: agent.token, body: { name: 'Mine' } }),
      call('PATCH', path, { token: agent.token, body: { name: 'Mine' } }),
      call('PUT', `${path}/members/${String(agent.userId)}`, { token: agent.token, body: { priority: 1 } }),
      call('DELETE', `${path}/members/${String(agent.userId)}`, { token: agent.token }),
    ]);
    const asOtherTenant = await Promise.all([
      call('GET', path, { token: other.token, account: globex.accountId }),
      call('PATCH', path, { token: other.token, account: globex.accountId, body: { name: 'Taken' } }),
      call('GET', `${path}/members`, { token: other.token, account: globex.accountId }),
      call('PUT', `${path}/members/${String(other.userId)}`, {
        token: other.token,
        account: globex.accountId,
        body: { priority: 1 },
      }),
      call('PATCH', path, { token: other.token, body: { name: 'Taken' } }),
      call('GET', '/routing-queues', { token: globex.apiKey }),
    ]);
    const noToken = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${String(acme.accountId)}/routing-queues`,
    });

    expect(asAgent.map((response) => response.statusCode)).toEqual([200, 200, 403, 403, 403, 403]);
    expect(asOtherTenant.map((response) => response.statusCode)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(noToken.statusCode).toBe(401);
    expect((await call('GET', path)).json()).toMatchObject({ name: 'Guarded' });
  });

  it("adds members with a priority, re-prioritises, removes them; only the account's people", async () => {
    const queue = (await call('POST', '/routing-queues', { body: { name: 'Members' } })).json<Queue>();
    const members = `/routing-queues/${String(queue.id)}/members`;
    const outsider = await seedAgent(app, globex.accountId);

    const added = await call('PUT', `${members}/${String(agent.userId)}`, { body: { priority: 3 } });
    const withAdmin = await call('PUT', `${members}/${String(admin.userId)}`, { body: {} });
    const reprioritised = await call('PUT', `${members}/${String(agent.userId)}`, { body: { priority: 1 } });
    const foreign = await call('PUT', `${members}/${String(outsider.userId)}`, { body: { priority: 1 } });
    const badPriorities = await Promise.all(
      [{ priority: 0 }, { priority: 101 }, { priority: 'high' }, { priority: 2, role: 'lead' }].map((body) =>
        call('PUT', `${members}/${String(agent.userId)}`, { body }),
      ),
    );
    const removed = await call('DELETE', `${members}/${String(admin.userId)}`);
    const removedAgain = await call('DELETE', `${members}/${String(admin.userId)}`);
    const listed = await call('GET', members);

    expect(added.statusCode, added.body).toBe(200);
    expect(added.json<{ data: Member[] }>().data).toEqual([
      expect.objectContaining({
        userId: agent.userId,
        priority: 3,
        connectionStatus: 'Online',
        presenceStatus: 'Working',
      }),
    ]);
    expect(
      withAdmin.json<{ data: Member[] }>().data.map((member) => [member.userId, member.priority]),
    ).toEqual([
      [admin.userId, 1],
      [agent.userId, 3],
    ]);
    expect(reprioritised.json<{ data: Member[] }>().data.map((member) => member.priority)).toEqual([1, 1]);
    expect(foreign.statusCode).toBe(404);
    expect(badPriorities.map((response) => response.statusCode)).toEqual([422, 422, 422, 422]);
    expect(removed.json<{ data: Member[] }>().data.map((member) => member.userId)).toEqual([agent.userId]);
    expect(removedAgain.statusCode).toBe(404);
    expect(listed.json<{ data: Member[] }>().data).toEqual([
      expect.objectContaining({ userId: agent.userId, priority: 1 }),
    ]);
    expect((await call('GET', '/routing-queues/999999/members')).statusCode).toBe(404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const methodsOf = (operations: Record<string, unknown>) =>
      Object.keys(operations)
        .filter((method) => method !== 'head')
        .sort();
    const document = (await inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const base = '/api/v1/accounts/{accountId}/routing-queues';

    expect(methodsOf(document.paths[base] ?? {})).toEqual(['get', 'post']);
    expect(methodsOf(document.paths[`${base}/{queueId}`] ?? {})).toEqual(['get', 'patch']);
    expect(methodsOf(document.paths[`${base}/{queueId}/members`] ?? {})).toEqual(['get']);
    expect(methodsOf(document.paths[`${base}/{queueId}/members/{userId}`] ?? {})).toEqual(['delete', 'put']);
  });
});
