import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAccount } from '../../testing/app.js';
import { createTestCluster, type TestCluster } from '../../testing/cluster.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { listenOnLoopback, realtimeSockets } from '../../testing/realtime-sockets.js';
import { events } from '../../platform/events/events.tables.js';
import { queryRows } from '../../platform/db/database.js';
import { accountUsers } from '../identity/identity.tables.js';
import { createUser } from '../identity/users.js';
import { addMember } from '../identity/members.js';
import { createAccessToken } from '../identity/access-tokens.js';
import { createPresenceTracker, type PresenceTracker } from './presence.js';
import { sweepExpiredNodes } from './realtime-nodes.js';
import { agentConnections } from './presence.tables.js';

describe(`agent presence across nodes (${backendName})`, () => {
  let cluster: TestCluster;
  let accountId: number;
  let bases: string[];
  const sockets = realtimeSockets();
  const trackers: PresenceTracker[] = [];
  let counter = 0;

  const db = () => cluster.testDb.database.db;

  beforeAll(async () => {
    cluster = await createTestCluster(2);
    ({ accountId } = await seedAccount(cluster.app(0), 'Acme'));
    bases = [await listenOnLoopback(cluster.nodes[0]!), await listenOnLoopback(cluster.nodes[1]!)];
  });
  afterAll(async () => {
    sockets.terminateAll();
    for (const tracker of trackers) tracker.close();
    await cluster.close();
  });

  async function provisionAgent(): Promise<{ userId: number; token: string }> {
    counter += 1;
    const user = await createUser(db(), { name: `Agent ${counter}`, email: `agent${counter}@nodes.test` });
    await addMember(db(), { accountId, userId: user.id, role: 'agent' }, { type: 'system' });
    const { token } = await createAccessToken(db(), { userId: user.id, name: 'test' });
    return { userId: user.id, token };
  }

  /** A node that the test drives by hand: its "crash" is a heartbeat that stops. */
  function handDrivenNode(nodeId: string): PresenceTracker {
    const tracker = createPresenceTracker({
      db: db(),
      logger: cluster.nodes[0]!.ctx.logger,
      nodeId,
      heartbeatMs: 3_600_000,
    });
    trackers.push(tracker);
    return tracker;
  }

  async function availability(userId: number) {
    const [row] = await db()
      .select({ availability: accountUsers.availability })
      .from(accountUsers)
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)));
    return row?.availability;
  }

  async function connectionsOf(userId: number) {
    const rows = await db()
      .select({ nodeId: agentConnections.nodeId, connections: agentConnections.connections })
      .from(agentConnections)
      .where(and(eq(agentConnections.accountId, accountId), eq(agentConnections.userId, userId)));
    return rows.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  }

  async function availabilityEvents(userId: number) {
    const rows = await db()
      .select({ payload: events.payload, aggregateId: events.aggregateId })
      .from(events)
      .where(and(eq(events.accountId, accountId), eq(events.type, 'member.updated')));
    return rows
      .filter((row) => row.aggregateId === `${accountId}:${userId}`)
      .map((row) => row.payload.availability);
  }

  async function crash(nodeId: string) {
    await db().execute(
      sql`UPDATE realtime_nodes SET heartbeat_at = now() - interval '1 hour' WHERE id = ${nodeId}`,
    );
  }

  it('keeps an agent online while another node still holds one of their connections', async () => {
    const agent = await provisionAgent();

    const onFirst = await sockets.connect(bases[0]!, accountId, agent.token);
    await sockets.connect(bases[1]!, accountId, agent.token);
    const both = await waitFor(
      async () => {
        const rows = await connectionsOf(agent.userId);
        return rows.length === 2 && rows;
      },
      { what: 'a connection row on each node' },
    );
    onFirst.close();
    await waitFor(async () => (await connectionsOf(agent.userId)).length === 1, {
      what: 'the first node to count its connection closed',
    });
    const whileSecondHolds = await availability(agent.userId);
    sockets.terminateAll();
    await waitFor(async () => (await availability(agent.userId)) === 'offline', { what: 'offline' });

    expect(both.map((row) => row.connections)).toEqual([1, 1]);
    expect(new Set(both.map((row) => row.nodeId)).size).toBe(2);
    expect(whileSecondHolds).toBe('online');
    expect(await connectionsOf(agent.userId)).toEqual([]);
    expect(await availabilityEvents(agent.userId)).toEqual(['online', 'offline']);
  });

  it("expires a crashed node's connections: its agents go offline unless a live node holds one", async () => {
    const alone = await provisionAgent();
    const shared = await provisionAgent();
    const crashed = handDrivenNode('crashed-node');
    crashed.connected(accountId, alone.userId);
    crashed.connected(accountId, shared.userId);
    await crashed.settled();
    const live = await sockets.connect(bases[1]!, accountId, shared.token);
    await waitFor(async () => (await connectionsOf(shared.userId)).length === 2, { what: 'live connection' });
    const before = [await availability(alone.userId), await availability(shared.userId)];

    await crash('crashed-node');
    const settled = await sweepExpiredNodes(db());

    expect(before).toEqual(['online', 'online']);
    expect(settled).toBe(2);
    expect(await availability(alone.userId)).toBe('offline');
    expect(await availability(shared.userId)).toBe('online');
    expect((await connectionsOf(shared.userId)).map((row) => row.nodeId)).not.toContain('crashed-node');
    expect(await queryRows(db(), sql`SELECT id FROM realtime_nodes WHERE id = 'crashed-node'`)).toEqual([]);
    live.close();
    await waitFor(async () => (await availability(shared.userId)) === 'offline', { what: 'shared offline' });
  });

  it('restores the counts of a node that was presumed dead but comes back', async () => {
    const agent = await provisionAgent();
    const paused = handDrivenNode('paused-node');
    paused.connected(accountId, agent.userId);
    paused.connected(accountId, agent.userId);
    await paused.settled();

    await crash('paused-node');
    await sweepExpiredNodes(db());
    const whilePresumedDead = await availability(agent.userId);
    await paused.heartbeat();
    await paused.settled();

    expect(whilePresumedDead).toBe('offline');
    expect(await availability(agent.userId)).toBe('online');
    expect(await connectionsOf(agent.userId)).toEqual([{ nodeId: 'paused-node', connections: 2 }]);
    paused.disconnected(accountId, agent.userId);
    paused.disconnected(accountId, agent.userId);
    await paused.settled();
    expect(await availability(agent.userId)).toBe('offline');
  });

  it('sweeps nothing while every node beats, and never touches a busy choice', async () => {
    const busy = await provisionAgent();
    await db()
      .update(accountUsers)
      .set({ availability: 'busy' })
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, busy.userId)));
    const node = handDrivenNode('steady-node');
    node.connected(accountId, busy.userId);
    await node.settled();

    const settled = await sweepExpiredNodes(db());

    expect(settled).toBe(0);
    expect(await availability(busy.userId)).toBe('busy');
    expect(await connectionsOf(busy.userId)).toEqual([{ nodeId: 'steady-node', connections: 1 }]);
  });
});
