import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { calls } from '../../core/calls/calls.tables.js';
import { teams } from '../../core/teams/teams.tables.js';
import { callIdOfUploadUrl, createModjoUser, modjoHeaders, uploadBody } from './modjo-test-kit.js';

describe(`Modjo face: auth, validation, users and teams (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agentId: number;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agentId = (await createModjoUser(inject, a.apiKey, 'agent@example.com')).id;
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (url: string, key: string, payload: unknown) =>
    inject({
      method: 'POST',
      url: `/modjo${url}`,
      headers: modjoHeaders(key),
      payload: payload as Record<string, unknown>,
    });

  async function callCount(accountId: number): Promise<number> {
    return (
      await app.parley.ctx.db.select({ id: calls.id }).from(calls).where(eq(calls.accountId, accountId))
    ).length;
  }

  describe('authentication', () => {
    it.each([
      ['POST', '/modjo/v1/calls'],
      ['POST', '/modjo/v1/calls/exports'],
      ['GET', '/modjo/v1/users?page=1&perPage=10'],
      ['GET', '/modjo/v1/teams?page=1&perPage=10'],
      ['DELETE', '/modjo/v1/users'],
      ['POST', '/modjo/v1/users/bulk'],
    ] as const)('answers 401 to %s %s without a key and with a wrong key', async (method, url) => {
      const missing = await inject({ method, url, payload: {} });
      const wrong = await inject({ method, url, headers: modjoHeaders('pk_not_a_key'), payload: {} });

      expect(missing.statusCode).toBe(401);
      expect(missing.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(wrong.statusCode).toBe(401);
    });

    it('accepts the key in X-API-KEY only (a bearer header is not Modjo auth)', async () => {
      const response = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=1&perPage=10',
        headers: bearer(a.apiKey),
      });

      expect(response.statusCode).toBe(401);
    });

    it('refuses the platform token, which names no account', async () => {
      const response = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=1&perPage=10',
        headers: modjoHeaders(TEST_PLATFORM_TOKEN),
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/name an account/);
    });
  });

  describe('POST /v1/calls validation', () => {
    it.each([
      ['contacts missing', { contacts: undefined }, 'contacts'],
      ['contacts empty', { contacts: [] }, 'contacts'],
      ['users empty', { users: [] }, 'users'],
      ['two users', { users: ['agent@example.com', agentId] }, 'users'],
      ['date missing', { date: undefined }, 'date'],
      ['date not ISO', { date: 'yesterday' }, 'date'],
      ['fileExtension unknown', { fileExtension: 'ogg' }, 'fileExtension'],
      ['tags missing', { tags: undefined }, 'tags'],
      ['tags empty', { tags: [] }, 'tags'],
      ['tag name too short', { tags: [{ name: 'ab', providerTagId: 'x' }] }, 'tags'],
      ['tag colour not hex', { tags: [{ name: 'Hot lead', providerTagId: 'x', color: '#12345' }] }, 'tags'],
      ['internal tag below 1', { tags: [{ modjoTagId: 0 }] }, 'tags'],
      ['unknown internal tag', { tags: [{ modjoTagId: 999999 }] }, 'tags'],
      ['provider outside the upload enum', { provider: 'aircall' }, 'provider'],
      ['direction unknown', { direction: 'sideways' }, 'direction'],
      ['negative duration', { duration: -1 }, 'duration'],
      ['duration under the minimum', { duration: 60 }, 'duration'],
      ['unknown CRM', { contacts: [{ crm: 'excel', crmId: '1' }] }, 'contacts'],
      ['unknown contact id', { contacts: [987654] }, 'contacts.0'],
      ['phone not E.164', { contacts: ['0606060606'] }, 'contacts.0'],
      ['user not a member', { users: ['stranger@example.com'] }, 'users.0'],
      ['recording URL not a URL', { recordingUrl: 'not a url' }, 'recordingUrl'],
      ['recording URL not http', { recordingUrl: 'file:///etc/passwd' }, 'recordingUrl'],
      ['account without crm', { account: { crmId: '1' } }, 'account'],
    ])('answers 400 with hints when %s, and writes nothing', async (_case, overrides, field) => {
      const before = await callCount(a.accountId);

      const response = await post('/v1/calls', a.apiKey, uploadBody(overrides));

      expect(response.statusCode).toBe(400);
      const body = response.json<{ statusCode: number; error: string; message: string; hints: string[] }>();
      expect(body.statusCode).toBe(400);
      expect(body.error).toBe('Bad Request');
      expect(body.hints.some((hint) => hint.startsWith(field))).toBe(true);
      expect(await callCount(a.accountId)).toBe(before);
    });

    it('answers a signed upload URL valid 20 minutes when no recording URL is given', async () => {
      const response = await post('/v1/calls', a.apiKey, uploadBody({ duration: 150, users: [agentId] }));

      expect(response.statusCode).toBe(200);
      const { uploadTo } = response.json<{ uploadTo: string }>();
      const url = new URL(uploadTo);
      expect(url.pathname).toMatch(new RegExp(`^/blobs/calls/${a.accountId}/\\d+/recording\\.wav$`));
      const expires = Number(url.searchParams.get('expires'));
      expect(expires * 1000 - Date.now()).toBeGreaterThan(19 * 60_000);
      expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(20 * 60_000 + 1000);
      const [call] = await app.parley.ctx.db
        .select()
        .from(calls)
        .where(eq(calls.id, callIdOfUploadUrl(uploadTo)));
      expect(call).toMatchObject({
        state: 'pending_upload',
        userId: agentId,
        durationSeconds: 150,
        title: 'Discovery call',
      });
    });

    it('acknowledges {success: true} when a recording URL is given, and stores the CRM context', async () => {
      const response = await post(
        '/v1/calls',
        a.apiKey,
        uploadBody({
          recordingUrl: 'https://recordings.example.com/a.wav',
          contacts: [
            { crm: 'salesforce', crmId: '0035g00000KZcZ4AAL', email: 'lead@example.com', name: 'Lena Lead' },
            '+33606060606',
          ],
          tags: [{ name: 'Hot lead', providerTagId: 'tag-1', color: 'F00' }],
          account: { crm: 'salesforce', crmId: '0015g00002KZcZ5AAL' },
          deal: { crm: 'hubspot', crmId: '123456789' },
          direction: 'outbound',
          provider: 'onoff',
        }),
      );

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ success: true });
      const [call] = await app.parley.ctx.db
        .select()
        .from(calls)
        .where(eq(calls.accountId, a.accountId))
        .orderBy(calls.id)
        .limit(1)
        .offset((await callCount(a.accountId)) - 1);
      expect(call).toMatchObject({
        state: 'pending_download',
        direction: 'outbound',
        provider: 'onoff',
        crmAccountId: '0015g00002KZcZ5AAL',
        crmDealId: '123456789',
        recordingSourceUrl: 'https://recordings.example.com/a.wav',
      });
    });

    it('answers 400 for a call uploaded with an agent key of another account', async () => {
      const response = await post('/v1/calls', b.apiKey, uploadBody({ users: [agentId] }));

      expect(response.statusCode).toBe(400);
      expect(response.json().hints[0]).toMatch(/users\.0/);
    });
  });

  describe('POST /v1/calls/exports validation', () => {
    it.each([
      ['perPage above 50', { pagination: { page: 1, perPage: 51 } }, 'pagination.perPage'],
      ['page 0', { pagination: { page: 0, perPage: 10 } }, 'pagination.page'],
      ['title under 3 characters', { filters: { callTitle: 'ab' } }, 'filters.callTitle'],
      [
        'end before start',
        { filters: { callStartDateRange: { start: '2025-02-01', end: '2025-01-01' } } },
        'filters.callStartDateRange',
      ],
      [
        'a date that is not ISO',
        { filters: { callStartDateRange: { start: 'last week', end: '2025-01-01' } } },
        'filters.callStartDateRange',
      ],
      ['empty callIds', { filters: { callIds: [] } }, 'filters.callIds'],
      ['a relation that is not a boolean', { relations: { transcript: 'yes' } }, 'relations.transcript'],
    ])('answers 400 with hints when %s', async (_case, body, field) => {
      const response = await post('/v1/calls/exports', a.apiKey, body);

      expect(response.statusCode).toBe(400);
      expect(response.json<{ hints: string[] }>().hints.some((hint) => hint.startsWith(field))).toBe(true);
    });

    it('answers 201 with the default pagination for an empty body', async () => {
      const response = await post('/v1/calls/exports', b.apiKey, {});

      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({
        pagination: { page: 1, perPage: 10, totalValues: 0, lastPage: 1 },
        values: [],
      });
    });
  });

  describe('users and teams', () => {
    it('lists the account members as Modjo users with the page shape', async () => {
      await createModjoUser(inject, a.apiKey, 'manager@example.com', {
        role: 'admin',
        hasLicense: true,
        language: 'fr-FR',
      });

      const response = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=1&perPage=1',
        headers: modjoHeaders(a.apiKey),
      });

      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.pagination).toEqual({ page: 1, perPage: 1, nextPage: 2, totalValues: 2, lastPage: 2 });
      expect(body.values).toEqual([
        {
          id: agentId,
          email: 'agent@example.com',
          firstName: 'Ada',
          lastName: 'Lovelace',
          hasLicense: false,
          role: 'user',
          teamIds: [],
          language: 'en-US',
        },
      ]);
      const second = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=2&perPage=1',
        headers: modjoHeaders(a.apiKey),
      });
      expect(second.json().pagination).toEqual({ page: 2, perPage: 1, totalValues: 2, lastPage: 2 });
      expect(second.json().values[0]).toMatchObject({
        email: 'manager@example.com',
        role: 'admin',
        hasLicense: true,
        language: 'fr-FR',
      });
    });

    it.each([
      ['page missing', '?perPage=10', 'page'],
      ['perPage missing', '?page=1', 'perPage'],
      ['perPage above 100', '?page=1&perPage=101', 'perPage'],
      ['page 0', '?page=0&perPage=10', 'page'],
    ])('answers 400 for users and teams when %s', async (_case, query, field) => {
      for (const path of ['/modjo/v1/users', '/modjo/v1/teams']) {
        const response = await inject({
          method: 'GET',
          url: `${path}${query}`,
          headers: modjoHeaders(a.apiKey),
        });

        expect(response.statusCode).toBe(400);
        expect(response.json<{ hints: string[] }>().hints.some((hint) => hint.startsWith(field))).toBe(true);
      }
    });

    it("lists teams with their members' teamIds, and refuses unknown teams on bulk creation", async () => {
      // Teams are created through the Chatwoot face (another module); a direct insert keeps this test about Modjo.
      const [team] = await app.parley.ctx.db
        .insert(teams)
        .values({ accountId: a.accountId, name: 'Sales' })
        .returning();
      const teamId = team?.id as number;

      const member = await createModjoUser(inject, a.apiKey, 'seller@example.com', { teamIds: [teamId] });
      const listedTeams = await inject({
        method: 'GET',
        url: '/modjo/v1/teams?page=1&perPage=10',
        headers: modjoHeaders(a.apiKey),
      });
      const users = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=1&perPage=100',
        headers: modjoHeaders(a.apiKey),
      });

      expect(listedTeams.json()).toEqual({
        pagination: { page: 1, perPage: 10, totalValues: 1, lastPage: 1 },
        values: [{ id: teamId, name: 'Sales', description: null }],
      });
      expect(users.json().values.find((user: { id: number }) => user.id === member.id).teamIds).toEqual([
        teamId,
      ]);
      const otherTeams = await inject({
        method: 'GET',
        url: '/modjo/v1/teams?page=1&perPage=10',
        headers: modjoHeaders(b.apiKey),
      });
      expect(otherTeams.json().values).toEqual([]);
    });

    it('refuses a bulk creation with an unknown team, an existing member or a duplicate, and creates nobody', async () => {
      const cases = [
        [{ email: 'new1@example.com', teamIds: [424242] }],
        [{ email: 'agent@example.com' }],
        [{ email: 'new2@example.com' }, { email: 'NEW2@example.com' }],
        [{ email: 'not-an-email' }],
        [{ email: 'new3@example.com', role: 'owner' }],
      ];
      for (const users of cases) {
        const response = await post('/v1/users/bulk', a.apiKey, { users });

        expect(response.statusCode, JSON.stringify(users)).toBe(400);
        expect(response.json().hints.length).toBeGreaterThan(0);
      }
      const listed = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=1&perPage=100',
        headers: modjoHeaders(a.apiKey),
      });
      expect(listed.json().values.map((user: { email: string }) => user.email)).not.toContain(
        'new1@example.com',
      );
    });

    it('deletes users from the account only, and refuses ids of another account', async () => {
      const doomed = await createModjoUser(inject, a.apiKey, 'doomed@example.com');
      const foreign = await createModjoUser(inject, b.apiKey, 'foreign@example.com');

      const refused = await inject({
        method: 'DELETE',
        url: '/modjo/v1/users',
        headers: modjoHeaders(a.apiKey),
        payload: { userIds: [doomed.id, foreign.id] },
      });
      const deleted = await inject({
        method: 'DELETE',
        url: '/modjo/v1/users',
        headers: modjoHeaders(a.apiKey),
        payload: { userIds: [doomed.id] },
      });

      expect(refused.statusCode).toBe(400);
      expect(refused.json().hints[0]).toMatch(new RegExp(`userIds.*${foreign.id}`));
      expect(deleted.statusCode).toBe(200);
      const listedA = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=1&perPage=100',
        headers: modjoHeaders(a.apiKey),
      });
      const listedB = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=1&perPage=100',
        headers: modjoHeaders(b.apiKey),
      });
      expect(listedA.json().values.map((user: { id: number }) => user.id)).not.toContain(doomed.id);
      expect(listedB.json().values.map((user: { id: number }) => user.id)).toEqual([foreign.id]);
    });

    it("never lists another account's users", async () => {
      const response = await inject({
        method: 'GET',
        url: '/modjo/v1/users?page=1&perPage=100',
        headers: modjoHeaders(b.apiKey),
      });

      expect(response.json().values.map((user: { email: string }) => user.email)).not.toContain(
        'agent@example.com',
      );
    });
  });
});
