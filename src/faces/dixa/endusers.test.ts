import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import { contactEvents, createEndUserVia, expectSeedEndUser } from './endusers.test-kit.js';

const alice = {
  displayName: 'Alice Brown',
  email: 'Alice@Brown.com',
  phoneNumber: '+551155256325',
  externalId: '#12345678',
  avatarUrl: 'http://avatar.url',
  firstName: 'Alice',
  lastName: 'Brown',
  middleNames: ['J.'],
  additionalEmails: ['alice@secondary.email'],
  additionalPhoneNumbers: ['+5566778899'],
};

describe(`Dixa end users: single operations (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let org: DixaTestOrg;
  let other: DixaTestOrg;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    inject = created.inject;
    org = await created.organization('End users');
    other = await created.organization('Someone else');
  });
  afterAll(() => app.close());

  it('creates an end user with 201 and every seed field, the email normalized, and records contact.created', async () => {
    const response = await org.call('POST', '/v1/endusers', alice);

    expect(response.statusCode).toBe(201);
    const endUser = response.json().data;
    expectSeedEndUser(endUser);
    expect(endUser).toEqual({
      id: expect.any(String),
      createdAt: expect.any(String),
      ...alice,
      email: 'alice@brown.com',
      customAttributes: [],
    });
    const created = (await contactEvents(app, org.accountId)).filter(
      (event) => event.type === 'contact.created',
    );
    expect(created.at(-1)?.payload).toMatchObject({
      contact: { email: 'alice@brown.com', name: 'Alice Brown' },
    });
  });

  it('omits absent fields instead of sending null, and names a person from their names when no displayName is given', async () => {
    const bare = await createEndUserVia(org, {});
    const named = await createEndUserVia(org, { firstName: 'Bo', middleNames: ['K'], lastName: 'Lee' });

    expectSeedEndUser(bare);
    expect(Object.keys(bare).sort()).toEqual(
      [
        'additionalEmails',
        'additionalPhoneNumbers',
        'createdAt',
        'customAttributes',
        'id',
        'middleNames',
      ].sort(),
    );
    expect(named.displayName).toBe('Bo K Lee');
  });

  it('gets an end user by id, and answers 404 for an unknown id and 400 for one that is not a UUID', async () => {
    const endUser = await createEndUserVia(org, { displayName: 'Gettable', email: 'get@x.test' });

    const found = await org.call('GET', `/v1/endusers/${endUser.id}`);
    const unknown = await org.call('GET', '/v1/endusers/00000000-0000-4000-8000-000000000000');
    const malformed = await org.call('GET', '/v1/endusers/not-a-uuid');

    expect(found.statusCode).toBe(200);
    expect(found.json().data).toEqual(endUser);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ message: expect.any(String) });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ message: expect.stringMatching(/userId/) });
  });

  it('refuses invalid input with 400 {message} naming the field', async () => {
    const cases = [
      { email: 'not-an-email' },
      { phoneNumber: '12345' },
      { additionalEmails: ['ok@x.test', 'broken'] },
      { additionalPhoneNumbers: ['+999'] },
      { avatarUrl: 'javascript:alert(1)' },
      { displayName: 42 },
      { middleNames: 'J.' },
      { lastName: 'Nul\u0000Byte' },
    ];
    for (const body of cases) {
      const response = await org.call('POST', '/v1/endusers', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      const field = Object.keys(body)[0] ?? '';
      expect(response.json()).toEqual({ message: expect.stringContaining(field) });
    }
  });

  it('answers 409 when the email (in any case), phone number or external id belongs to another end user', async () => {
    await createEndUserVia(org, { email: 'taken@x.test', phoneNumber: '+4512345600', externalId: 'crm-1' });

    const statuses = [];
    for (const body of [{ email: 'TAKEN@x.test' }, { phoneNumber: '+4512345600' }, { externalId: 'crm-1' }]) {
      const response = await org.call('POST', '/v1/endusers', body);
      statuses.push(response.statusCode);
      const field = Object.keys(body)[0] ?? '';
      expect(response.json()).toEqual({
        message: expect.stringMatching(new RegExp(`^${field} has already been taken`)),
      });
    }
    const elsewhere = await other.call('POST', '/v1/endusers', {
      email: 'taken@x.test',
      externalId: 'crm-1',
    });

    expect(statuses).toEqual([409, 409, 409]);
    expect(elsewhere.statusCode).toBe(201);
  });

  it('patches only the given fields, clears one given as an empty string, and records contact.updated with the changes', async () => {
    const endUser = await createEndUserVia(org, {
      ...alice,
      email: 'patch@x.test',
      phoneNumber: '+4511111111',
      externalId: 'p-1',
    });

    const response = await org.call('PATCH', `/v1/endusers/${endUser.id}`, {
      firstName: 'Alicia',
      additionalPhoneNumbers: [],
      avatarUrl: '',
    });

    expect(response.statusCode).toBe(200);
    const patched = response.json().data;
    expectSeedEndUser(patched);
    expect(patched).toMatchObject({ displayName: 'Alice Brown', email: 'patch@x.test', firstName: 'Alicia' });
    expect(patched.additionalPhoneNumbers).toEqual([]);
    expect(patched).not.toHaveProperty('avatarUrl');
    const updated = (await contactEvents(app, org.accountId)).filter(
      (event) => event.type === 'contact.updated',
    );
    expect(updated.at(-1)?.payload).toMatchObject({
      changes: {
        firstName: { from: 'Alice', to: 'Alicia' },
        additionalPhoneNumbers: { from: ['+5566778899'], to: [] },
        avatarUrl: { from: 'http://avatar.url', to: null },
      },
    });
  });

  it("refuses an empty patch, a patch taking another end user's email, and a patch of an unknown end user", async () => {
    const first = await createEndUserVia(org, { email: 'first@x.test' });
    const second = await createEndUserVia(org, { email: 'second@x.test' });

    const empty = await org.call('PATCH', `/v1/endusers/${first.id}`, {});
    const taken = await org.call('PATCH', `/v1/endusers/${first.id}`, {
      email: 'second@x.test',
      displayName: 'X',
    });
    const unknown = await org.call('PATCH', '/v1/endusers/00000000-0000-4000-8000-000000000000', {
      firstName: 'A',
    });
    const after = await org.call('GET', `/v1/endusers/${first.id}`);

    expect(empty.statusCode).toBe(400);
    expect(taken.statusCode).toBe(409);
    expect(unknown.statusCode).toBe(404);
    expect(after.json().data).not.toHaveProperty('displayName');
    expect(second.email).toBe('second@x.test');
  });

  it('replaces the profile on PUT, clearing what it leaves out, and requires displayName', async () => {
    const endUser = await createEndUserVia(org, {
      ...alice,
      email: 'put@x.test',
      phoneNumber: '+4522222222',
      externalId: 'put-1',
    });

    const replaced = await org.call('PUT', `/v1/endusers/${endUser.id}`, {
      displayName: 'Only Name',
      email: 'put@x.test',
    });
    const missingName = await org.call('PUT', `/v1/endusers/${endUser.id}`, { email: 'put@x.test' });

    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().data).toEqual({
      id: endUser.id,
      createdAt: endUser.createdAt,
      displayName: 'Only Name',
      email: 'put@x.test',
      middleNames: [],
      additionalEmails: [],
      additionalPhoneNumbers: [],
      customAttributes: [],
    });
    expect(missingName.statusCode).toBe(400);
    expect(missingName.json()).toEqual({ message: expect.stringContaining('displayName') });
  });

  it("keeps another organization's end users out of reach: 404 on every operation, absent from its list", async () => {
    const endUser = await createEndUserVia(org, { displayName: 'Private', email: 'private@x.test' });
    const path = `/v1/endusers/${endUser.id}`;

    const statuses = [
      (await other.call('GET', path)).statusCode,
      (await other.call('PATCH', path, { displayName: 'Hijacked' })).statusCode,
      (await other.call('PUT', path, { displayName: 'Hijacked' })).statusCode,
      (await other.call('GET', `${path}/conversations`)).statusCode,
      (await other.call('PATCH', `${path}/custom-attributes`, {})).statusCode,
    ];
    const theirList = await other.call('GET', '/v1/endusers?email=private%40x.test');
    const mine = await org.call('GET', path);

    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    expect(theirList.json().data).toEqual([]);
    expect(mine.json().data.displayName).toBe('Private');
  });

  it('answers 401 without a token', async () => {
    const response = await inject({ method: 'GET', url: '/dixa/v1/endusers' });

    expect(response.statusCode).toBe(401);
  });
});
