import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import { dixaPerson } from './agents.test-kit.js';

interface Outcome {
  data?: { id: string; email: string; displayName: string; firstName?: string; lastName?: string };
  error?: { id?: string; message: string };
}

describe(`Dixa agents in bulk (${backendName})`, () => {
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

  async function createOne(org: DixaTestOrg, email: string): Promise<string> {
    const response = await org.call('POST', '/v1/agents', dixaPerson(email));
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ data: { id: string } }>().data.id;
  }

  it('creates agents in bulk, one outcome per item in input order, failures beside successes', async () => {
    await createOne(acme, 'taken@bulk.example');

    const response = await acme.call('POST', '/v1/agents/bulk', {
      data: [
        dixaPerson('first@bulk.example'),
        { email: 'no-display-name@bulk.example' },
        dixaPerson('taken@bulk.example'),
        { email: 'second@bulk.example', displayName: 'Second' },
        dixaPerson('bad-phone@bulk.example', { phoneNumber: '12' }),
      ],
    });
    const outcomes = response.json<{ data: Outcome[] }>().data;
    const listed = await acme.call('GET', '/v1/agents?email=no-display-name%40bulk.example');
    const badPhone = await acme.call('GET', '/v1/agents?email=bad-phone%40bulk.example');

    expect(response.statusCode).toBe(201);
    expect(outcomes.map((outcome) => Object.keys(outcome))).toEqual([
      ['data'],
      ['error'],
      ['error'],
      ['data'],
      ['error'],
    ]);
    expect(outcomes[0]?.data).toMatchObject({ email: 'first@bulk.example', displayName: 'Alice Brown' });
    expect(outcomes[1]?.error).toEqual({ message: expect.stringMatching(/displayName/) });
    expect(outcomes[2]?.error).toEqual({ message: expect.stringMatching(/already exists/) });
    expect(outcomes[3]?.data).toMatchObject({ email: 'second@bulk.example', displayName: 'Second' });
    expect(outcomes[4]?.error?.message).toMatch(/phoneNumber/);
    expect(listed.json<{ data: unknown[] }>().data).toEqual([]);
    expect(badPhone.json<{ data: unknown[] }>().data).toEqual([]);
  });

  it('patches in bulk: each item applies whole or not at all, unknown and malformed ids fail alone', async () => {
    const one = await createOne(acme, 'patch-one@bulk.example');
    const two = await createOne(acme, 'patch-two@bulk.example');
    const foreign = await createOne(globex, 'foreign@bulk.example');

    const response = await acme.call('PATCH', '/v1/agents', [
      { id: `${one}X`, displayName: 'AB' },
      { id: one, displayName: 'One', lastName: 'Patched' },
      { id: two, displayName: 'Two', phoneNumber: 'not a phone' },
      { id: foreign, displayName: 'Hijacked' },
      { id: two },
    ]);
    const outcomes = response.json<{ data: Outcome[] }>().data;
    const twoAfter = await acme.call('GET', `/v1/agents/${two}`);
    const foreignAfter = await globex.call('GET', `/v1/agents/${foreign}`);

    expect(response.statusCode).toBe(200);
    expect(outcomes[0]?.error).toEqual({ id: `${one}X`, message: expect.stringMatching(/UUID/) });
    expect(outcomes[1]?.data).toMatchObject({
      id: one,
      displayName: 'One',
      lastName: 'Patched',
      firstName: 'Alice',
    });
    expect(outcomes[2]?.error).toEqual({ id: two, message: expect.stringMatching(/phoneNumber/) });
    expect(outcomes[3]?.error).toEqual({ id: foreign, message: 'Agent not found' });
    expect(outcomes[4]?.error).toEqual({ id: two, message: expect.stringMatching(/empty/) });
    // The failed item changed nothing, not even its valid displayName.
    expect(twoAfter.json<{ data: { displayName: string } }>().data.displayName).toBe('Alice Brown');
    expect(foreignAfter.json<{ data: { displayName: string } }>().data.displayName).toBe('Alice Brown');
  });

  it('updates in bulk, clearing what an item leaves out', async () => {
    const one = await createOne(acme, 'put-one@bulk.example');

    const response = await acme.call('PUT', '/v1/agents', [
      { id: one, displayName: 'Replaced' },
      { id: one, firstName: 'No display name' },
    ]);
    const outcomes = response.json<{ data: Outcome[] }>().data;

    expect(response.statusCode).toBe(200);
    expect(outcomes[0]?.data).toMatchObject({ id: one, displayName: 'Replaced' });
    expect(outcomes[0]?.data).not.toHaveProperty('firstName');
    expect(outcomes[1]?.error).toEqual({ id: one, message: expect.stringMatching(/displayName/) });
  });

  it('answers 400 {message} for a body that is not a list of agents', async () => {
    const notList = await acme.call('PATCH', '/v1/agents', { id: 'x' });
    const empty = await acme.call('POST', '/v1/agents/bulk', { data: [] });
    const tooMany = await acme.call(
      'PUT',
      '/v1/agents',
      Array.from({ length: 101 }, () => ({ id: 'x' })),
    );

    for (const response of [notList, empty, tooMany]) {
      expect(response.statusCode).toBe(400);
      expect(Object.keys(response.json())).toEqual(['message']);
    }
  });
});
