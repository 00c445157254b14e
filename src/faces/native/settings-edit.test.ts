import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { events } from '../../platform/events/events.tables.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from '../chatwoot/conversations.test-kit.js';

type Inject = ReturnType<typeof injector>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}
interface Seeded {
  accountId: number;
  apiKey: string;
}

describe(`settings: editing what exists (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: Seeded;
  let globex: Seeded;
  let ann: { userId: number; token: string };
  let bob: { userId: number; token: string };
  let stranger: { userId: number; token: string };

  const call = (method: Method, path: string, payload?: object, token?: string, account?: Seeded) =>
    inject({
      method,
      url: `/api/v1/accounts/${String((account ?? acme).accountId)}${path}`,
      headers: bearer(token ?? (account ?? acme).apiKey),
      ...(payload ? { payload } : {}),
    });
  const created = async (path: string, payload: object): Promise<{ id: number }> => {
    const response = await call('POST', path, payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: number }>();
  };
  const pathsOf = (response: LightMyRequestResponse) =>
    response.json<ErrorBody>().error.details.map((detail) => detail.path);

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    ann = await seedAgent(app, acme.accountId, { name: 'Ann' });
    bob = await seedAgent(app, acme.accountId, { name: 'Bob' });
    stranger = await seedAgent(app, globex.accountId, { name: 'Stranger', role: 'administrator' });
  });
  afterAll(async () => {
    await app.close();
  });

  describe('teams', () => {
    it('renames a team, changes its description and replaces its members', async () => {
      const team = await created('/teams', { name: 'Billing' });

      const renamed = await call('PATCH', `/teams/${String(team.id)}`, {
        name: 'Accounts',
        description: 'Invoices and refunds',
      });
      const members = await call('PUT', `/teams/${String(team.id)}/members`, {
        userIds: [bob.userId, ann.userId],
      });
      const trimmed = await call('PUT', `/teams/${String(team.id)}/members`, { userIds: [bob.userId] });

      expect(renamed.statusCode, renamed.body).toBe(200);
      expect((await call('GET', `/teams/${String(team.id)}`)).json()).toEqual({
        id: team.id,
        name: 'Accounts',
        description: 'Invoices and refunds',
      });
      expect(members.json()).toEqual({ userIds: [ann.userId, bob.userId].sort((a, b) => a - b) });
      expect(trimmed.json()).toEqual({ userIds: [bob.userId] });
      expect((await call('GET', `/teams/${String(team.id)}/members`)).json()).toEqual({
        userIds: [bob.userId],
      });
      const changes = await app.parley.ctx.db
        .select({ payload: events.payload })
        .from(events)
        .where(and(eq(events.accountId, acme.accountId), eq(events.type, 'team.members_changed')))
        .orderBy(events.id);
      expect(changes.at(-1)?.payload).toMatchObject({ removedUserIds: [ann.userId], userIds: [bob.userId] });
    });

    it('refuses members from outside the account, a taken name and bad bodies', async () => {
      const team = await created('/teams', { name: 'Tier 2' });
      await created('/teams', { name: 'Tier 3' });

      const outsider = await call('PUT', `/teams/${String(team.id)}/members`, { userIds: [stranger.userId] });
      const taken = await call('PATCH', `/teams/${String(team.id)}`, { name: 'tier 3' });
      const notIds = await call('PUT', `/teams/${String(team.id)}/members`, { userIds: ['x'] });
      const missing = await call('PUT', `/teams/${String(team.id)}/members`, {});

      expect(outsider.statusCode).toBe(422);
      expect(pathsOf(outsider)).toEqual(['body.userIds']);
      expect(taken.statusCode).toBe(422);
      expect(pathsOf(taken)).toEqual(['body.name']);
      expect(notIds.statusCode).toBe(422);
      expect(missing.statusCode).toBe(422);
      expect((await call('GET', `/teams/${String(team.id)}/members`)).json()).toEqual({ userIds: [] });
    });
  });

  describe('labels', () => {
    it('renames a label into the conversations and contacts that carry it, and edits its colour and description', async () => {
      const label = await created('/labels', { title: 'vip', color: '#c2185b' });
      const inboxId = await seedInbox(app, acme.accountId, { memberIds: [ann.userId] });
      const contactId = await seedContact(app, acme.accountId, { name: 'Vera' });
      const displayId = await openConversation(chatwootClient(app, acme.apiKey), acme.accountId, {
        inbox_id: inboxId,
        contact_id: contactId,
      });
      const db = app.parley.ctx.db;
      const [conversation] = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.accountId, acme.accountId), eq(conversations.displayId, displayId)));
      const conversationId = conversation?.id ?? 0;
      await call('PATCH', `/conversations/${String(conversationId)}`, { labels: ['VIP', 'urgent'] });
      await db
        .update(contacts)
        .set({ labels: ['vip'] })
        .where(eq(contacts.id, contactId));

      const edited = await call('PATCH', `/labels/${String(label.id)}`, {
        title: 'gold',
        color: '#1f5fbf',
        description: 'Paying customers',
      });

      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toEqual({
        id: label.id,
        title: 'gold',
        color: '#1f5fbf',
        description: 'Paying customers',
        state: 'active',
      });
      const after = await call('GET', `/conversations/${String(conversationId)}`);
      expect(after.json<{ labels: string[] }>().labels).toEqual(['gold', 'urgent']);
      const [contact] = await db
        .select({ labels: contacts.labels })
        .from(contacts)
        .where(eq(contacts.id, contactId));
      expect(contact?.labels).toEqual(['gold']);
      const cleared = await call('PATCH', `/labels/${String(label.id)}`, { color: null, description: null });
      expect(cleared.json()).toMatchObject({ title: 'gold', color: null, description: null });
    });

    it('refuses a title another label has, a bad colour and an empty patch', async () => {
      const label = await created('/labels', { title: 'bronze' });
      await created('/labels', { title: 'silver' });

      const taken = await call('PATCH', `/labels/${String(label.id)}`, { title: 'Silver' });
      const colour = await call('PATCH', `/labels/${String(label.id)}`, { color: 'red' });
      const empty = await call('PATCH', `/labels/${String(label.id)}`, {});
      const unknownField = await call('PATCH', `/labels/${String(label.id)}`, { name: 'x' });

      expect(taken.statusCode).toBe(409);
      expect(colour.statusCode).toBe(422);
      expect(pathsOf(colour)).toEqual(['body.color']);
      expect(empty.statusCode).toBe(422);
      expect(unknownField.statusCode).toBe(422);
      const catalogue = await call('GET', '/label-catalogue');
      expect(catalogue.json<{ data: { id: number; title: string }[] }>().data).toContainEqual(
        expect.objectContaining({ id: label.id, title: 'bronze' }),
      );
    });
  });

  it('edits a canned response and refuses a short code with a space', async () => {
    const canned = await created('/canned-responses', { shortCode: 'hi', content: 'Hello!' });

    const edited = await call('PATCH', `/canned-responses/${String(canned.id)}`, {
      shortCode: 'hello',
      content: 'Hello, how can I help?',
    });
    const bad = await call('PATCH', `/canned-responses/${String(canned.id)}`, { shortCode: 'two words' });

    expect(edited.json()).toEqual({ id: canned.id, shortCode: 'hello', content: 'Hello, how can I help?' });
    expect(bad.statusCode).toBe(422);
    expect(pathsOf(bad)).toEqual(['body.shortCode']);
    const list = await call('GET', '/canned-responses', undefined, ann.token);
    expect(list.json<{ data: unknown[] }>().data).toContainEqual(edited.json());
  });

  it("edits a custom attribute's name, description and list values", async () => {
    const attribute = await created('/custom-attributes', {
      model: 'conversation',
      key: 'tier',
      displayName: 'Tier',
      displayType: 'list',
      values: ['free', 'pro'],
    });

    const edited = await call('PATCH', `/custom-attributes/${String(attribute.id)}`, {
      displayName: 'Plan tier',
      description: 'From billing',
      values: ['free', 'pro', 'enterprise'],
    });
    const emptyValue = await call('PATCH', `/custom-attributes/${String(attribute.id)}`, { values: [''] });

    expect(edited.json()).toMatchObject({
      displayName: 'Plan tier',
      description: 'From billing',
      values: ['free', 'pro', 'enterprise'],
    });
    expect(emptyValue.statusCode).toBe(422);
  });

  describe('inboxes', () => {
    it('renames an inbox, sets its greeting and replaces who answers it', async () => {
      const inbox = await created('/inboxes', { channelType: 'api', name: 'Support' });

      const edited = await call('PATCH', `/inboxes/${String(inbox.id)}`, {
        name: 'Help desk',
        greetingEnabled: true,
        greetingMessage: 'Hi! We answer within the hour.',
      });
      const members = await call('PUT', `/inboxes/${String(inbox.id)}/members`, { userIds: [ann.userId] });

      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({
        name: 'Help desk',
        greetingEnabled: true,
        greetingMessage: 'Hi! We answer within the hour.',
      });
      expect(members.json()).toEqual({ userIds: [ann.userId] });
      // Ann now answers it, Bob does not: the inbox list agents see follows.
      const annSees = await call('GET', '/inboxes', undefined, ann.token);
      const bobSees = await call('GET', '/inboxes', undefined, bob.token);
      expect(annSees.json<{ data: { id: number; name: string }[] }>().data).toContainEqual(
        expect.objectContaining({ id: inbox.id, name: 'Help desk' }),
      );
      expect(bobSees.json<{ data: { id: number }[] }>().data.map((row) => row.id)).not.toContain(inbox.id);
      const cleared = await call('PATCH', `/inboxes/${String(inbox.id)}`, {
        greetingEnabled: false,
        greetingMessage: '',
      });
      expect(cleared.json()).toMatchObject({ greetingEnabled: false, greetingMessage: null });
    });

    it('refuses an empty name, an enabled greeting without a message and unknown agents', async () => {
      const inbox = await created('/inboxes', { channelType: 'api', name: 'Sales' });

      const blank = await call('PATCH', `/inboxes/${String(inbox.id)}`, { name: '  ' });
      const greeting = await call('PATCH', `/inboxes/${String(inbox.id)}`, {
        greetingEnabled: true,
        greetingMessage: null,
      });
      const outsider = await call('PUT', `/inboxes/${String(inbox.id)}/members`, {
        userIds: [stranger.userId],
      });

      expect(blank.statusCode).toBe(422);
      expect(pathsOf(blank)).toEqual(['body.name']);
      expect(greeting.statusCode).toBe(422);
      expect(pathsOf(greeting)).toEqual(['body.greetingMessage']);
      expect(outsider.statusCode).toBe(422);
      expect(pathsOf(outsider)).toEqual(['body.userIds']);
    });
  });

  describe('agents', () => {
    it("changes an agent's display name and role", async () => {
      const carol = await seedAgent(app, acme.accountId, { name: 'Carol' });

      const renamed = await call('PATCH', `/members/${String(carol.userId)}`, { displayName: 'Caroline' });
      const promoted = await call('PATCH', `/members/${String(carol.userId)}`, { role: 'administrator' });

      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ userId: carol.userId, displayName: 'Caroline', role: 'agent' });
      expect(promoted.json()).toMatchObject({ displayName: 'Caroline', role: 'administrator' });
    });

    it('refuses a rename by an agent, a bad role and a blank name', async () => {
      const byAgent = await call(
        'PATCH',
        `/members/${String(bob.userId)}`,
        { displayName: 'Bobby' },
        ann.token,
      );
      const ownName = await call(
        'PATCH',
        `/members/${String(ann.userId)}`,
        { displayName: 'Annie' },
        ann.token,
      );
      const role = await call('PATCH', `/members/${String(bob.userId)}`, { role: 'owner' });
      const blank = await call('PATCH', `/members/${String(bob.userId)}`, { displayName: ' ' });

      expect(byAgent.statusCode).toBe(403);
      expect(ownName.statusCode).toBe(403);
      expect(role.statusCode).toBe(422);
      expect(blank.statusCode).toBe(422);
      const member = await call('GET', `/members/${String(bob.userId)}`);
      expect(member.json()).toMatchObject({ name: 'Bob', role: 'agent' });
    });
  });

  it("answers 404 for another account's team, label, canned response, attribute, inbox and member", async () => {
    const team = await created('/teams', { name: 'Private' });
    const label = await created('/labels', { title: 'secret' });
    const canned = await created('/canned-responses', { shortCode: 'sec', content: 'x' });
    const attribute = await created('/custom-attributes', {
      model: 'contact',
      key: 'secret',
      displayName: 'Secret',
      displayType: 'text',
    });
    const inbox = await created('/inboxes', { channelType: 'api', name: 'Private' });
    const attempts: [Method, string, object?][] = [
      ['GET', `/teams/${String(team.id)}`],
      ['PATCH', `/teams/${String(team.id)}`, { name: 'Mine' }],
      ['GET', `/teams/${String(team.id)}/members`],
      ['PUT', `/teams/${String(team.id)}/members`, { userIds: [stranger.userId] }],
      ['PATCH', `/labels/${String(label.id)}`, { title: 'mine' }],
      ['PATCH', `/canned-responses/${String(canned.id)}`, { content: 'mine' }],
      ['PATCH', `/custom-attributes/${String(attribute.id)}`, { displayName: 'Mine' }],
      ['PATCH', `/inboxes/${String(inbox.id)}`, { name: 'Mine' }],
      ['GET', `/inboxes/${String(inbox.id)}/members`],
      ['PUT', `/inboxes/${String(inbox.id)}/members`, { userIds: [stranger.userId] }],
      ['PATCH', `/members/${String(ann.userId)}`, { displayName: 'Mine' }],
    ];

    for (const [method, path, payload] of attempts) {
      // Globex's own administrator, in Globex's account path, naming Acme's ids.
      const ownPath = await call(method, path, payload, stranger.token, globex);
      // And Globex's administrator in Acme's path.
      const acmePath = await call(method, path, payload, stranger.token);
      expect(ownPath.statusCode, `${method} ${path}`).toBe(404);
      expect(acmePath.statusCode, `${method} ${path} in Acme's path`).toBe(404);
    }
    expect((await call('GET', `/teams/${String(team.id)}`)).json()).toMatchObject({ name: 'Private' });
  });

  it('refuses every edit to an agent (403) and to no credentials (401)', async () => {
    const team = await created('/teams', { name: 'Locked' });
    const inbox = await created('/inboxes', { channelType: 'api', name: 'Locked' });

    const byAgent = [
      await call('PATCH', `/teams/${String(team.id)}`, { name: 'x' }, ann.token),
      await call('PUT', `/teams/${String(team.id)}/members`, { userIds: [] }, ann.token),
      await call('PATCH', `/inboxes/${String(inbox.id)}`, { name: 'x' }, ann.token),
      await call('PUT', `/inboxes/${String(inbox.id)}/members`, { userIds: [] }, ann.token),
      await call('GET', `/inboxes/${String(inbox.id)}/members`, undefined, ann.token),
    ];
    const anonymous = await inject({
      method: 'PUT',
      url: `/api/v1/accounts/${String(acme.accountId)}/teams/${String(team.id)}/members`,
      payload: { userIds: [] },
    });

    expect(byAgent.map((response) => response.statusCode)).toEqual([403, 403, 403, 403, 403]);
    expect(anonymous.statusCode).toBe(401);
  });
});
