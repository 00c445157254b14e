import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import { dixaPerson } from './agents.test-kit.js';

describe(`Dixa teams (${backendName})`, () => {
  let app: TestApp;
  let acme: DixaTestOrg;
  let globex: DixaTestOrg;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    acme = await created.organization('Acme');
    globex = await created.organization('Globex');
  });
  afterAll(() => app.close());

  async function createTeam(org: DixaTestOrg, name: string): Promise<string> {
    const response = await org.call('POST', '/v1/teams', { name });
    expect(response.statusCode, response.body).toBe(201);
    const { data } = response.json<{ data: { id: string; name: string } }>();
    expect(Object.keys(data).sort()).toEqual(['id', 'name']);
    return data.id;
  }

  async function createAgent(org: DixaTestOrg, email: string, overrides = {}): Promise<string> {
    const response = await org.call('POST', '/v1/agents', dixaPerson(email, overrides));
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ data: { id: string } }>().data.id;
  }

  async function teamEvents(type: string) {
    return app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.accountId, acme.accountId), eq(events.type, type)));
  }

  it('creates, lists, gets and deletes teams, recording team events', async () => {
    const id = await createTeam(acme, 'Tier 1');

    const list = await acme.call('GET', '/v1/teams');
    const one = await acme.call('GET', `/v1/teams/${id}`);
    const duplicate = await acme.call('POST', '/v1/teams', { name: 'tier 1' });
    const blank = await acme.call('POST', '/v1/teams', { name: '  ' });
    const deleted = await acme.call('DELETE', `/v1/teams/${id}`);
    const gone = await acme.call('GET', `/v1/teams/${id}`);

    expect(list.json<{ data: unknown[] }>().data).toContainEqual({ id, name: 'Tier 1' });
    expect(one.json()).toEqual({ data: { id, name: 'Tier 1' } });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json()).toEqual({ message: expect.stringMatching(/already exists/) });
    expect(blank.statusCode).toBe(400);
    expect(deleted.statusCode).toBe(204);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ message: 'Team not found' });
    expect(await teamEvents('team.created')).toHaveLength(1);
    expect(await teamEvents('team.deleted')).toHaveLength(1);
  });

  it("adds and removes agents, lists them as TeamMember, and shows an agent's teams", async () => {
    const teamId = await createTeam(acme, 'Billing');
    const alice = await createAgent(acme, 'alice@teams.example', { phoneNumber: '+4512345611' });
    const bob = await createAgent(acme, 'bob@teams.example', { displayName: 'Bob', phoneNumber: undefined });

    const added = await acme.call('PATCH', `/v1/teams/${teamId}/agents`, { agentIds: [alice, bob] });
    const members = await acme.call('GET', `/v1/teams/${teamId}/agents`);
    const aliceTeams = await acme.call('GET', `/v1/agents/${alice}/teams`);
    const removed = await acme.call('DELETE', `/v1/teams/${teamId}/agents`, { agentIds: [alice] });
    const after = await acme.call('GET', `/v1/teams/${teamId}/agents`);
    const aliceTeamsAfter = await acme.call('GET', `/v1/agents/${alice}/teams`);

    expect(added.statusCode, added.body).toBe(204);
    expect(members.json<{ data: unknown[] }>().data).toEqual(
      expect.arrayContaining([
        { id: alice, name: 'Alice Brown', email: 'alice@teams.example', phoneNumber: '+4512345611' },
        { id: bob, name: 'Bob', email: 'bob@teams.example' },
      ]),
    );
    expect(aliceTeams.json()).toEqual({ data: [{ id: teamId }] });
    expect(removed.statusCode).toBe(204);
    expect(after.json()).toEqual({ data: [{ id: bob, name: 'Bob', email: 'bob@teams.example' }] });
    expect(aliceTeamsAfter.json()).toEqual({ data: [] });
    const changes = await teamEvents('team.members_changed');
    expect(changes.length).toBeGreaterThanOrEqual(2);
  });

  it('answers 400 for bad agent ids and 404 for agents that are not in the organization', async () => {
    const teamId = await createTeam(acme, 'Validation');
    const foreignAgent = await createAgent(globex, 'foreign@teams.example');

    const empty = await acme.call('PATCH', `/v1/teams/${teamId}/agents`, { agentIds: [] });
    const notUuid = await acme.call('PATCH', `/v1/teams/${teamId}/agents`, { agentIds: ['x'] });
    const foreign = await acme.call('PATCH', `/v1/teams/${teamId}/agents`, { agentIds: [foreignAgent] });
    const members = await acme.call('GET', `/v1/teams/${teamId}/agents`);

    expect(empty.statusCode).toBe(400);
    expect(notUuid.statusCode).toBe(400);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ message: `Agent ${foreignAgent} not found` });
    expect(members.json()).toEqual({ data: [] });
  });

  it("never shows or changes another organization's team (404)", async () => {
    const teamId = await createTeam(acme, 'Private team');
    const member = await createAgent(acme, 'private@teams.example');
    await acme.call('PATCH', `/v1/teams/${teamId}/agents`, { agentIds: [member] });
    const intruder = await createAgent(globex, 'intruder@teams.example');

    const responses = await Promise.all([
      globex.call('GET', `/v1/teams/${teamId}`),
      globex.call('GET', `/v1/teams/${teamId}/agents`),
      globex.call('GET', `/v1/teams/${teamId}/presence`),
      globex.call('PATCH', `/v1/teams/${teamId}/agents`, { agentIds: [intruder] }),
      globex.call('DELETE', `/v1/teams/${teamId}/agents`, { agentIds: [intruder] }),
      globex.call('DELETE', `/v1/teams/${teamId}`),
    ]);
    const list = await globex.call('GET', '/v1/teams');

    expect(responses.map((response) => response.statusCode)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(list.body).not.toContain(teamId);
    const still = await acme.call('GET', `/v1/teams/${teamId}/agents`);
    expect(still.json<{ data: { id: string }[] }>().data.map((row) => row.id)).toEqual([member]);
  });
});
