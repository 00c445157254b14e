import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import { contactEvents, createEndUserVia, expectSeedEndUser } from './endusers.test-kit.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe(`Dixa end users: bulk create, patch and update (${backendName})`, () => {
  let app: TestApp;
  let org: DixaTestOrg;
  let other: DixaTestOrg;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    org = await created.organization('Bulk');
    other = await created.organization('Bulk elsewhere');
  });
  afterAll(() => app.close());

  it('creates the valid items and answers one {data} or {error} per item, in input order', async () => {
    const existing = await createEndUserVia(org, { email: 'existing@bulk.test' });
    const before = (await contactEvents(app, org.accountId)).length;

    const response = await org.call('POST', '/v1/endusers/bulk', {
      data: [
        { displayName: 'One', email: 'one@bulk.test', externalId: 'b-1' },
        { displayName: 'Bad email', email: 'nope' },
        { displayName: 'Taken', email: 'EXISTING@bulk.test' },
        { displayName: 'Two', email: 'two@bulk.test', phoneNumber: '+4533333333' },
        { displayName: 'Same as one', externalId: 'b-1' },
        { displayName: 'Three' },
        { displayName: 'Nul\u0000Byte' },
      ],
    });

    expect(response.statusCode).toBe(200);
    const outcomes = response.json().data;
    expect(outcomes).toHaveLength(7);
    expect(outcomes[0].data).toMatchObject({ displayName: 'One', email: 'one@bulk.test', externalId: 'b-1' });
    expect(outcomes[1]).toEqual({ error: { message: expect.stringMatching(/email/) } });
    expect(outcomes[2]).toEqual({ error: { id: existing.id, message: 'email has already been taken' } });
    expect(outcomes[3].data).toMatchObject({ displayName: 'Two', phoneNumber: '+4533333333' });
    expect(outcomes[4]).toEqual({
      error: { id: outcomes[0].data.id, message: 'externalId has already been taken' },
    });
    expect(outcomes[5].data.displayName).toBe('Three');
    expect(outcomes[6]).toEqual({ error: { message: expect.stringMatching(/NUL/) } });
    for (const index of [0, 3, 5]) expectSeedEndUser(outcomes[index].data);
    const created = (await contactEvents(app, org.accountId)).slice(before);
    expect(created.map((event) => event.type)).toEqual([
      'contact.created',
      'contact.created',
      'contact.created',
    ]);
    const listed = await org.call('GET', '/v1/endusers?externalId=b-1');
    expect(listed.json().data.map((user: { id: string }) => user.id)).toEqual([outcomes[0].data.id]);
  });

  it('creates a large import in one request, every item with its own id', async () => {
    const data = Array.from({ length: 400 }, (_, index) => ({
      displayName: `Imported ${index}`,
      email: `import${index}@bulk.test`,
      externalId: `imp-${index}`,
    }));

    const response = await org.call('POST', '/v1/endusers/bulk', { data });

    const outcomes = response.json().data;
    expect(outcomes).toHaveLength(400);
    expect(outcomes.every((outcome: { data?: unknown }) => outcome.data)).toBe(true);
    expect(new Set(outcomes.map((outcome: { data: { id: string } }) => outcome.data.id)).size).toBe(400);
    expect(outcomes[399].data).toMatchObject({ displayName: 'Imported 399', externalId: 'imp-399' });
  });

  it('answers an empty list for an empty or absent data, and 400 for items of the wrong type', async () => {
    const empty = await org.call('POST', '/v1/endusers/bulk', { data: [] });
    const absent = await org.call('POST', '/v1/endusers/bulk', {});
    const wrongType = await org.call('POST', '/v1/endusers/bulk', { data: [{ email: 7 }] });

    expect(empty.json()).toEqual({ data: [] });
    expect(absent.json()).toEqual({ data: [] });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toEqual({ message: expect.any(String) });
  });

  it('patches each item on its own: an item fails whole (nothing of it applied) while the others apply', async () => {
    const first = await createEndUserVia(org, { displayName: 'First', email: 'first@bulk.test' });
    const second = await createEndUserVia(org, { displayName: 'Second', email: 'second@bulk.test' });
    const foreign = await createEndUserVia(other, { displayName: 'Foreign' });

    const response = await org.call('PATCH', '/v1/endusers', {
      data: [
        { id: first.id, firstName: 'Firsty' },
        { id: second.id, displayName: 'Renamed', email: 'first@bulk.test' },
        { id: 'not-a-uuid', displayName: 'X' },
        { id: UNKNOWN, displayName: 'X' },
        { id: foreign.id, displayName: 'Hijacked' },
        { id: second.id },
        { id: second.id, lastName: 'Last' },
      ],
    });

    expect(response.statusCode).toBe(200);
    const outcomes = response.json().data;
    expect(outcomes[0].data).toMatchObject({ id: first.id, displayName: 'First', firstName: 'Firsty' });
    expect(outcomes[1]).toEqual({ error: { id: second.id, message: 'email has already been taken' } });
    expect(outcomes[2]).toEqual({ error: { id: 'not-a-uuid', message: 'id must be a UUID' } });
    expect(outcomes[3]).toEqual({ error: { message: 'End user not found' } });
    expect(outcomes[4]).toEqual({ error: { message: 'End user not found' } });
    expect(outcomes[5]).toEqual({ error: { id: second.id, message: expect.stringMatching(/no field/) } });
    expect(outcomes[6].data).toMatchObject({ id: second.id, displayName: 'Second', lastName: 'Last' });
    const secondNow = await org.call('GET', `/v1/endusers/${second.id}`);
    expect(secondNow.json().data).toMatchObject({ displayName: 'Second', email: 'second@bulk.test' });
    const foreignNow = await other.call('GET', `/v1/endusers/${foreign.id}`);
    expect(foreignNow.json().data.displayName).toBe('Foreign');
  });

  it('replaces each item on PUT, clearing what the item leaves out, and requires displayName per item', async () => {
    const endUser = await createEndUserVia(org, {
      displayName: 'Full',
      email: 'full@bulk.test',
      firstName: 'Full',
      additionalEmails: ['x@bulk.test'],
    });

    const response = await org.call('PUT', '/v1/endusers', {
      data: [{ id: endUser.id, displayName: 'Replaced', middleNames: ['M'] }],
    });
    const missingName = await org.call('PUT', '/v1/endusers', { data: [{ id: endUser.id }] });

    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual([
      {
        data: {
          id: endUser.id,
          createdAt: endUser.createdAt,
          displayName: 'Replaced',
          middleNames: ['M'],
          additionalEmails: [],
          additionalPhoneNumbers: [],
          customAttributes: [],
        },
      },
    ]);
    expect(missingName.statusCode).toBe(400);
  });
});
