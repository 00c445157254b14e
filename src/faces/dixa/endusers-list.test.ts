import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import { createEndUserVia, expectSeedEndUser } from './endusers.test-kit.js';

interface Page {
  data: { id: string; displayName?: string }[];
  meta: { next?: string; previous?: string };
}

describe(`Dixa end users: list, filters and pages (${backendName})`, () => {
  let app: TestApp;
  let org: DixaTestOrg;
  let other: DixaTestOrg;
  const ids: string[] = [];

  async function get(path: string): Promise<Page> {
    const response = await org.call('GET', path);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>();
  }
  /** meta links are paths under the face's prefix; the test kit adds the prefix itself. */
  const follow = (link: string | undefined) => get((link ?? '').replace(/^\/dixa/, ''));

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    org = await created.organization('Listing');
    other = await created.organization('Other listing');
    for (let index = 0; index < 5; index += 1) {
      const endUser = await createEndUserVia(org, {
        displayName: `Person ${index}`,
        email: `person${index}@list.test`,
        phoneNumber: `+451234560${index}`,
        externalId: `ext-${index}`,
      });
      ids.push(endUser.id);
    }
    await createEndUserVia(other, { displayName: 'Not yours', email: 'person0@list.test' });
  });
  afterAll(() => app.close());

  it('walks every end user forward with meta.next and back with meta.previous, in creation order', async () => {
    const first = await get('/v1/endusers?pageLimit=2');
    const second = await follow(first.meta.next);
    const third = await follow(second.meta.next);
    const backToSecond = await follow(third.meta.previous);
    const backToFirst = await follow(backToSecond.meta.previous);

    expect(first.data.map((user) => user.id)).toEqual(ids.slice(0, 2));
    expect(first.meta).toEqual({
      next: expect.stringMatching(/^\/dixa\/v1\/endusers\?pageLimit=2&pageKey=/),
    });
    expect(second.data.map((user) => user.id)).toEqual(ids.slice(2, 4));
    expect(second.meta).toEqual({ next: expect.any(String), previous: expect.any(String) });
    expect(third.data.map((user) => user.id)).toEqual(ids.slice(4));
    expect(third.meta).toEqual({ previous: expect.any(String) });
    expect(backToSecond.data.map((user) => user.id)).toEqual(ids.slice(2, 4));
    expect(backToFirst.data.map((user) => user.id)).toEqual(ids.slice(0, 2));
    expect(backToFirst.meta).toEqual({ next: expect.any(String) });
    for (const user of [...first.data, ...second.data]) expectSeedEndUser(user);
  });

  it("lists only the caller organization's end users", async () => {
    const all = await get('/v1/endusers');

    expect(all.data.map((user) => user.id)).toEqual(ids);
    expect(all.meta).toEqual({});
  });

  it('filters by email (any case), by phone number (even with its + decoded as a space) and by external id', async () => {
    const byEmail = await get('/v1/endusers?email=PERSON3%40List.test');
    const byPhone = await get('/v1/endusers?phone=%2B4512345601');
    const byPhoneUnescaped = await get('/v1/endusers?phone=+4512345602');
    const byExternalId = await get('/v1/endusers?externalId=ext-4');
    const none = await get('/v1/endusers?email=nobody%40list.test');

    expect(byEmail.data.map((user) => user.id)).toEqual([ids[3]]);
    expect(byPhone.data.map((user) => user.id)).toEqual([ids[1]]);
    expect(byPhoneUnescaped.data.map((user) => user.id)).toEqual([ids[2]]);
    expect(byExternalId.data.map((user) => user.id)).toEqual([ids[4]]);
    expect(none.data).toEqual([]);
  });

  it('refuses email and phone together, a page key it did not hand out, and a page limit out of range with 400', async () => {
    const both = await org.call('GET', '/v1/endusers?email=a%40b.c&phone=%2B4512345601');
    const forged = await org.call('GET', '/v1/endusers?pageKey=bm90LWEta2V5');
    const tooMany = await org.call('GET', '/v1/endusers?pageLimit=501');
    const zero = await org.call('GET', '/v1/endusers?pageLimit=0');

    for (const response of [both, forged, tooMany, zero]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ message: expect.any(String) });
    }
  });
});
