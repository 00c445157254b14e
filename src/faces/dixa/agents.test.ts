import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { accountInvitations } from '../../core/identity/invitations.tables.js';
import { accountUsers, users } from '../../core/identity/identity.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { events } from '../../platform/events/events.tables.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import { dixaPerson } from './agents.test-kit.js';

/** Seed `Agent`, strict: a field the seed does not have fails the test. */
const seedAgent = z.strictObject({
  id: z.uuid(),
  email: z.string(),
  roles: z.array(z.enum(['Agent', 'SystemAdmin', 'TeamLead', 'Admin'])).optional(),
  lastName: z.string().optional(),
  avatarUrl: z.string().optional(),
  createdAt: z.iso.datetime(),
  firstName: z.string().optional(),
  displayName: z.string(),
  middleNames: z.array(z.string()).optional(),
  phoneNumber: z.string().optional(),
  additionalEmails: z.array(z.string()).optional(),
  additionalPhoneNumbers: z.array(z.string()).optional(),
});
type SeedAgent = z.infer<typeof seedAgent>;

describe(`Dixa agents (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: DixaTestOrg;
  let globex: DixaTestOrg;
  let counter = 0;
  let organization: (name: string) => Promise<DixaTestOrg>;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    inject = created.inject;
    acme = await created.organization('Acme');
    globex = await created.organization('Globex');
    organization = (name) => created.organization(name);
  });
  afterAll(() => app.close());

  function uniqueEmail(prefix = 'agent'): string {
    counter += 1;
    return `${prefix}-${counter}@acme.example`;
  }

  async function createAgent(org: DixaTestOrg, body: Record<string, unknown>): Promise<SeedAgent> {
    const response = await org.call('POST', '/v1/agents', body);
    expect(response.statusCode, response.body).toBe(201);
    return seedAgent.parse(response.json<{ data: unknown }>().data);
  }

  it('creates an agent with every seed field and reads it back by id', async () => {
    const email = uniqueEmail();

    const created = await createAgent(acme, dixaPerson(email));
    const fetched = await acme.call('GET', `/v1/agents/${created.id}`);

    expect(created).toMatchObject({
      email,
      displayName: 'Alice Brown',
      firstName: 'Alice',
      lastName: 'Brown',
      middleNames: ['Julia'],
      phoneNumber: '+551155256325',
      avatarUrl: 'http://avatar.example/alice.png',
      additionalEmails: ['alice@secondary.example'],
      additionalPhoneNumbers: ['+5566778899'],
      roles: ['Agent'],
    });
    expect(fetched.statusCode).toBe(200);
    expect(seedAgent.parse(fetched.json<{ data: unknown }>().data)).toEqual(created);
  });

  it('omits absent optional fields instead of sending null', async () => {
    const created = await createAgent(acme, { email: uniqueEmail(), displayName: 'Bare' });

    expect(Object.values(created)).not.toContain(null);
    expect(created).not.toHaveProperty('firstName');
    expect(created).not.toHaveProperty('phoneNumber');
    expect(created).toMatchObject({ middleNames: [], additionalEmails: [], additionalPhoneNumbers: [] });
  });

  it('answers 400 {message} on bad input and 409 on an email the organization already has', async () => {
    const email = uniqueEmail();
    await createAgent(acme, { email, displayName: 'First' });

    const missing = await acme.call('POST', '/v1/agents', { email: uniqueEmail() });
    const badPhone = await acme.call('POST', '/v1/agents', {
      email: uniqueEmail(),
      displayName: 'X',
      phoneNumber: 'call me',
    });
    const badEmail = await acme.call('POST', '/v1/agents', { email: 'nope', displayName: 'X' });
    const twice = await acme.call('POST', '/v1/agents', { email: email.toUpperCase(), displayName: 'Again' });
    const badId = await acme.call('GET', '/v1/agents/not-a-uuid');

    for (const response of [missing, badPhone, badEmail, badId]) {
      expect(response.statusCode, response.body).toBe(400);
      expect(Object.keys(response.json())).toEqual(['message']);
    }
    expect(missing.json<{ message: string }>().message).toMatch(/displayName/);
    expect(badPhone.json<{ message: string }>().message).toMatch(/phoneNumber/);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toEqual({ message: expect.stringMatching(/already exists/) });
  });

  it('lists agents in pages linked by meta.next and meta.previous', async () => {
    const org = globex;
    for (let index = 0; index < 5; index += 1) {
      await createAgent(org, { email: `page-${index}@globex.example`, displayName: `Page ${index}` });
    }

    const first = await org.call('GET', '/v1/agents?pageLimit=2');
    const firstBody = first.json<{ data: SeedAgent[]; meta: { next?: string; previous?: string } }>();
    const second = await org.call('GET', firstBody.meta.next!.replace(/^\/dixa/, ''));
    const secondBody = second.json<{ data: SeedAgent[]; meta: { next?: string; previous?: string } }>();
    const back = await org.call('GET', secondBody.meta.previous!.replace(/^\/dixa/, ''));
    const third = await org.call('GET', secondBody.meta.next!.replace(/^\/dixa/, ''));

    expect(first.statusCode).toBe(200);
    expect(firstBody.data).toHaveLength(2);
    expect(firstBody.meta.previous).toBeUndefined();
    expect(firstBody.meta.next).toMatch(/^\/dixa\/v1\/agents\?pageLimit=2&pageKey=/);
    expect(secondBody.data).toHaveLength(2);
    expect(back.json<{ data: SeedAgent[] }>().data.map((agent) => agent.id)).toEqual(
      firstBody.data.map((agent) => agent.id),
    );
    const all = [...firstBody.data, ...secondBody.data, ...third.json<{ data: SeedAgent[] }>().data];
    expect(new Set(all.map((agent) => agent.id)).size).toBe(all.length);
    expect(all.filter((agent) => agent.email.startsWith('page-'))).toHaveLength(5);
    expect(third.json<{ meta: { next?: string } }>().meta.next).toBeUndefined();
    expect((await org.call('GET', '/v1/agents?pageKey=garbage')).statusCode).toBe(400);
  });

  it('filters by email (primary or additional, any case) or by phone, never both', async () => {
    const email = uniqueEmail('filter');
    const agent = await createAgent(
      acme,
      dixaPerson(email, {
        phoneNumber: '+4512345601',
        additionalPhoneNumbers: [],
        additionalEmails: ['other@x.example'],
      }),
    );

    const byEmail = await acme.call('GET', `/v1/agents?email=${encodeURIComponent(email.toUpperCase())}`);
    const byAdditional = await acme.call('GET', '/v1/agents?email=OTHER%40x.example');
    const byPhone = await acme.call('GET', `/v1/agents?phone=${encodeURIComponent('+4512345601')}`);
    const nobody = await acme.call('GET', '/v1/agents?email=nobody%40acme.example');
    const both = await acme.call('GET', `/v1/agents?email=a%40b.c&phone=%2B4512345601`);

    expect(byEmail.json<{ data: SeedAgent[] }>().data.map((row) => row.id)).toEqual([agent.id]);
    expect(byAdditional.json<{ data: SeedAgent[] }>().data.map((row) => row.id)).toEqual([agent.id]);
    expect(byPhone.json<{ data: SeedAgent[] }>().data.map((row) => row.id)).toEqual([agent.id]);
    expect(nobody.json<{ data: SeedAgent[] }>().data).toEqual([]);
    expect(both.statusCode).toBe(400);
    expect(both.json()).toEqual({ message: expect.stringMatching(/mutually exclusive/) });
  });

  it('patches the fields given and replaces the whole profile on PUT', async () => {
    const agent = await createAgent(acme, dixaPerson(uniqueEmail()));

    const patched = await acme.call('PATCH', `/v1/agents/${agent.id}`, {
      displayName: 'Ally',
      lastName: 'Green',
    });
    const put = await acme.call('PUT', `/v1/agents/${agent.id}`, { displayName: 'Only Name' });
    const empty = await acme.call('PATCH', `/v1/agents/${agent.id}`, {});
    const putWithout = await acme.call('PUT', `/v1/agents/${agent.id}`, { firstName: 'No display name' });

    expect(patched.statusCode, patched.body).toBe(200);
    expect(seedAgent.parse(patched.json<{ data: unknown }>().data)).toMatchObject({
      displayName: 'Ally',
      lastName: 'Green',
      firstName: 'Alice',
      phoneNumber: '+551155256325',
    });
    const replaced = seedAgent.parse(put.json<{ data: unknown }>().data);
    expect(replaced).toMatchObject({ displayName: 'Only Name', middleNames: [], additionalEmails: [] });
    expect(replaced).not.toHaveProperty('firstName');
    expect(replaced).not.toHaveProperty('phoneNumber');
    expect(empty.statusCode).toBe(400);
    expect(putWithout.statusCode).toBe(400);
    const recorded = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.accountId, acme.accountId), eq(events.type, 'agent.profile_updated')));
    expect(recorded.some((row) => (row.payload as { uuid: string }).uuid === agent.id)).toBe(true);
  });

  it('invites an email that already has a user elsewhere, answering the same shape without enrolling them', async () => {
    const email = 'shared-person@elsewhere.example';
    const home = await createAgent(globex, { email, displayName: 'Shared Person' });

    const invited = await createAgent(acme, { email, displayName: 'Typed By Acme', firstName: 'Typed' });
    const fetched = await acme.call('GET', `/v1/agents/${invited.id}`);
    const listed = await acme.call('GET', `/v1/agents?email=${encodeURIComponent(email)}`);
    const [user] = await app.parley.ctx.db.select().from(users).where(eq(users.email, email));
    const membership = await app.parley.ctx.db
      .select()
      .from(accountUsers)
      .where(and(eq(accountUsers.accountId, acme.accountId), eq(accountUsers.userId, user!.id)));
    const [invitation] = await app.parley.ctx.db
      .select()
      .from(accountInvitations)
      .where(and(eq(accountInvitations.accountId, acme.accountId), eq(accountInvitations.email, email)));

    expect(invited.id).not.toBe(home.id);
    expect(invited).toMatchObject({
      email,
      displayName: 'Typed By Acme',
      firstName: 'Typed',
      roles: ['Agent'],
    });
    expect(seedAgent.parse(fetched.json<{ data: unknown }>().data)).toEqual(invited);
    // Listed under the id it was answered with, though not a member until they accept.
    expect(listed.json<{ data: SeedAgent[] }>().data).toEqual([invited]);
    expect(membership).toEqual([]);
    expect(invitation?.status).toBe('pending');
    // Their own profile is untouched.
    const own = await globex.call('GET', `/v1/agents/${home.id}`);
    expect(own.json<{ data: SeedAgent }>().data.displayName).toBe('Shared Person');
  });

  it('lists invited agents among the members, each once, on pages linked both ways', async () => {
    const org = await organization('Initech');
    const invitedEmails = ['invited-a@elsewhere.example', 'invited-b@elsewhere.example'];
    for (const email of invitedEmails) await createAgent(globex, { email, displayName: 'Elsewhere' });
    const created = [
      await createAgent(org, { email: 'member-1@initech.example', displayName: 'Member 1' }),
      await createAgent(org, {
        email: invitedEmails[0]!,
        displayName: 'Invited A',
        phoneNumber: '+4512345699',
      }),
      await createAgent(org, { email: 'member-2@initech.example', displayName: 'Member 2' }),
      await createAgent(org, { email: invitedEmails[1]!, displayName: 'Invited B' }),
      await createAgent(org, { email: 'member-3@initech.example', displayName: 'Member 3' }),
    ];

    const pages: { data: SeedAgent[]; meta: { next?: string; previous?: string } }[] = [];
    let url: string | undefined = '/v1/agents?pageLimit=2';
    while (url) {
      const response = await org.call('GET', url);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ data: unknown[]; meta: { next?: string; previous?: string } }>();
      pages.push({ data: body.data.map((agent) => seedAgent.parse(agent)), meta: body.meta });
      url = body.meta.next?.replace(/^\/dixa/, '');
    }
    const back = await org.call('GET', pages[2]!.meta.previous!.replace(/^\/dixa/, ''));
    const byPhone = await org.call('GET', `/v1/agents?phone=${encodeURIComponent('+4512345699')}`);
    const byEmail = await org.call(
      'GET',
      `/v1/agents?email=${encodeURIComponent('INVITED-B@elsewhere.example')}`,
    );
    const elsewhere = await acme.call('GET', '/v1/agents?pageLimit=500');

    const listed = pages.flatMap((page) => page.data);
    // Members and invitations in creation order, each exactly once.
    expect(listed.map((agent) => agent.id)).toEqual(created.map((agent) => agent.id));
    expect(pages.map((page) => page.data.length)).toEqual([2, 2, 1]);
    expect(listed.find((agent) => agent.id === created[1]!.id)).toEqual(created[1]);
    expect(back.json<{ data: SeedAgent[] }>().data).toEqual(pages[1]!.data);
    expect(byPhone.json<{ data: SeedAgent[] }>().data.map((agent) => agent.id)).toEqual([created[1]!.id]);
    expect(byEmail.json<{ data: SeedAgent[] }>().data.map((agent) => agent.id)).toEqual([created[3]!.id]);
    const otherIds = new Set(elsewhere.json<{ data: SeedAgent[] }>().data.map((agent) => agent.id));
    expect(created.some((agent) => otherIds.has(agent.id))).toBe(false);
  });

  it('refuses to change the profile of someone another organization employs too', async () => {
    const email = uniqueEmail('two-orgs');
    const agent = await createAgent(acme, { email, displayName: 'Two Orgs' });
    const added = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${globex.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email, role: 'agent' },
    });
    expect(added.statusCode, added.body).toBe(201);

    const patched = await acme.call('PATCH', `/v1/agents/${agent.id}`, { displayName: 'Renamed' });

    expect(patched.statusCode).toBe(403);
    expect(patched.json()).toEqual({ message: expect.stringMatching(/another organization/) });
  });

  it('downgrades an agent to an end user: membership gone, a contact with their email exists', async () => {
    const email = uniqueEmail('downgrade');
    const agent = await createAgent(acme, dixaPerson(email, { phoneNumber: '+4512345602' }));

    const response = await acme.call('DELETE', `/v1/agents/${agent.id}`);
    const after = await acme.call('GET', `/v1/agents/${agent.id}`);
    const [contact] = await app.parley.ctx.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.accountId, acme.accountId), eq(contacts.email, email)));
    const again = await acme.call('DELETE', `/v1/agents/${agent.id}`);

    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');
    expect(after.statusCode).toBe(404);
    expect(contact).toMatchObject({ name: 'Alice Brown', email, phoneNumber: '+4512345602' });
    expect(again.statusCode).toBe(404);
  });

  it('keeps an existing contact when downgrading, and refuses to downgrade the last administrator', async () => {
    const email = uniqueEmail('known');
    const agent = await createAgent(acme, { email, displayName: 'Known Customer' });
    await app.parley.ctx.db
      .insert(contacts)
      .values({ accountId: acme.accountId, name: 'Already here', email });
    const solo = await organization('Solo');
    const admin = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${solo.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: 'only-admin@solo.example', name: 'Only Admin', role: 'administrator' },
    });
    expect(admin.statusCode, admin.body).toBe(201);
    const [only] = (await solo.call('GET', '/v1/agents')).json<{ data: SeedAgent[] }>().data;

    const last = await solo.call('DELETE', `/v1/agents/${only!.id}`);

    expect(last.statusCode).toBe(409);
    expect(last.json()).toEqual({ message: expect.stringMatching(/last administrator/) });
    expect((await acme.call('DELETE', `/v1/agents/${agent.id}`)).statusCode).toBe(204);
    const rows = await app.parley.ctx.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.accountId, acme.accountId), eq(contacts.email, email)));
    expect(rows.map((row) => row.name)).toEqual(['Already here']);
  });

  it("never shows, changes or downgrades another organization's agent (404)", async () => {
    const agent = await createAgent(acme, { email: uniqueEmail('private'), displayName: 'Private' });

    const responses = await Promise.all([
      globex.call('GET', `/v1/agents/${agent.id}`),
      globex.call('PATCH', `/v1/agents/${agent.id}`, { displayName: 'Hijacked' }),
      globex.call('PUT', `/v1/agents/${agent.id}`, { displayName: 'Hijacked' }),
      globex.call('GET', `/v1/agents/${agent.id}/presence`),
      globex.call('GET', `/v1/agents/${agent.id}/teams`),
      globex.call('DELETE', `/v1/agents/${agent.id}`),
    ]);
    const listed = await globex.call('GET', '/v1/agents?pageLimit=500');

    expect(responses.map((response) => response.statusCode)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(listed.body).not.toContain(agent.id);
    const still = await acme.call('GET', `/v1/agents/${agent.id}`);
    expect(still.json<{ data: SeedAgent }>().data.displayName).toBe('Private');
  });

  it('lets only administrators change agents', async () => {
    const key = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${acme.accountId}/api-keys`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'agent key', role: 'agent' },
    });
    const agentKey = key.json<{ token: string }>().token;

    const create = await inject({
      method: 'POST',
      url: '/dixa/v1/agents',
      headers: { authorization: agentKey },
      payload: { email: uniqueEmail(), displayName: 'Nope' },
    });
    const list = await inject({
      method: 'GET',
      url: '/dixa/v1/agents',
      headers: { authorization: agentKey },
    });

    expect(create.statusCode).toBe(403);
    expect(list.statusCode).toBe(200);
  });
});
