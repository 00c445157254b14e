import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { findGroupByJid } from '../../core/whatsapp/group-context.js';
import { seedWhatsappInbox, standInJoinRequest } from '../../core/whatsapp/stand-in.test-kit.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';
import { seedContact, seedInbox } from './conversations.test-kit.js';

interface Member {
  id: number;
  role: string;
  is_active: boolean;
  group_contact_id: number;
  contact: { id: number; name: string; phone_number?: string; identifier?: string; thumbnail: string };
}

const errorBody = {
  description: expect.any(String),
  errors: expect.arrayContaining([
    { field: expect.any(String), message: expect.any(String), code: expect.any(String) },
  ]),
};

describe(`Chatwoot WhatsApp groups (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };
  let inboxId: number;

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'agent@acme.test' });
    inboxId = await seedWhatsappInbox(app, a.accountId, { phoneNumber: '+5511900000000' });
  });
  afterAll(async () => {
    await app.close();
  });

  const base = (accountId: number) => `/api/v1/accounts/${accountId}`;
  const groupUrl = (id: number, path: string) => `${base(a.accountId)}/contacts/${id}/${path}`;

  async function createGroup(subject: string, participants: string[]): Promise<{ id: number; jid: string }> {
    const response = await call('POST', `${base(a.accountId)}/groups`, a.apiKey, {
      inbox_id: inboxId,
      subject,
      participants,
    });
    expect(response.statusCode).toBe(200);
    const jid = response.json<{ group_jid: string }>().group_jid;
    const group = await findGroupByJid(app.parley.ctx.db, a.accountId, jid);
    if (!group) throw new Error('group contact not recorded');
    return { id: group.id, jid };
  }

  async function members(
    id: number,
    query = '',
  ): Promise<{ payload: Member[]; meta: Record<string, unknown> }> {
    const response = await call('GET', `${groupUrl(id, 'group_members')}${query}`, a.apiKey);
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it('creates a group and lists its members in the seed shape, the inbox’s own number first', async () => {
    const created = await call('POST', `${base(a.accountId)}/groups`, a.apiKey, {
      inbox_id: inboxId,
      subject: 'Customers',
      participants: ['5511911111111', '+5511922222222'],
    });
    const jid = created.json<{ group_jid: string }>().group_jid;
    const group = await findGroupByJid(app.parley.ctx.db, a.accountId, jid);
    const listed = await members(group?.id ?? 0);

    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({ group_jid: expect.stringMatching(/^\d+@g\.us$/), subject: 'Customers' });
    expect(group).toMatchObject({ name: 'Customers', groupType: 'group', identifier: jid });
    expect(listed.meta).toEqual({
      total_count: 3,
      page: 1,
      per_page: 10,
      inbox_phone_number: '+5511900000000',
    });
    expect(listed.payload[0]).toEqual({
      id: expect.any(Number),
      role: 'admin',
      is_active: true,
      group_contact_id: group?.id,
      contact: {
        id: expect.any(Number),
        name: '+5511900000000',
        phone_number: '+5511900000000',
        thumbnail: '',
      },
    });
    expect(listed.payload.slice(1).map((member) => [member.role, member.contact.phone_number])).toEqual([
      ['member', '+5511911111111'],
      ['member', '+5511922222222'],
    ]);
    const types = await app.parley.ctx.db
      .select({ type: events.type })
      .from(events)
      .where(and(eq(events.accountId, a.accountId), eq(events.aggregateType, 'whatsapp_group')));
    expect(types.map((row) => row.type)).toEqual(
      expect.arrayContaining([
        'whatsapp_group.created',
        'whatsapp_group.members_changed',
        'whatsapp_group.synced',
      ]),
    );
  });

  it('adds members and pages them with page and per_page', async () => {
    const group = await createGroup('Paging', ['5511930000001']);

    const added = await call('POST', groupUrl(group.id, 'group_members'), a.apiKey, {
      participants: ['5511930000002', '5511930000003', '5511930000004', '5511930000005'],
    });
    const pages = await Promise.all(
      [1, 2, 3, 4].map((page) => members(group.id, `?page=${page}&per_page=2`)),
    );

    expect(added.statusCode).toBe(200);
    expect(pages.map((page) => page.payload.length)).toEqual([2, 2, 2, 0]);
    expect(pages[0]?.meta).toMatchObject({ total_count: 6, page: 1, per_page: 2 });
    expect(pages[0]?.payload[0]?.contact.phone_number).toBe('+5511900000000');
    const ids = pages.flatMap((page) => page.payload.map((member) => member.id));
    expect(new Set(ids).size).toBe(6);
  });

  it('promotes, demotes and removes members, but never the creator', async () => {
    const group = await createGroup('Roles', ['5511940000001', '5511940000002']);
    const [creator, first, second] = (await members(group.id)).payload;
    if (!creator || !first || !second) throw new Error('members missing');

    const promoted = await call('PATCH', groupUrl(group.id, `group_members/${first.id}`), a.apiKey, {
      role: 'admin',
    });
    const afterPromote = await members(group.id);
    const demoted = await call('PATCH', groupUrl(group.id, `group_members/${first.id}`), a.apiKey, {
      role: 'member',
    });
    const removed = await call('DELETE', groupUrl(group.id, `group_members/${second.id}`), a.apiKey);
    const afterRemove = await members(group.id);
    const creatorChange = await call('PATCH', groupUrl(group.id, `group_members/${creator.id}`), a.apiKey, {
      role: 'member',
    });
    const creatorRemoval = await call('DELETE', groupUrl(group.id, `group_members/${creator.id}`), a.apiKey);
    const unknown = await call('DELETE', groupUrl(group.id, `group_members/${second.id}`), a.apiKey);
    const badRole = await call('PATCH', groupUrl(group.id, `group_members/${first.id}`), a.apiKey, {
      role: 'owner',
    });

    expect(promoted.statusCode).toBe(200);
    expect(afterPromote.payload.find((member) => member.id === first.id)?.role).toBe('admin');
    expect(demoted.statusCode).toBe(200);
    expect(removed.statusCode).toBe(200);
    expect(afterRemove.payload.map((member) => member.id)).toEqual([creator.id, first.id]);
    expect(afterRemove.payload[1]?.role).toBe('member');
    expect(creatorChange.statusCode).toBe(422);
    expect(creatorChange.json()).toEqual(errorBody);
    expect(creatorChange.json().description).toBe('The group creator cannot be modified');
    expect(creatorRemoval.statusCode).toBe(422);
    expect(unknown.statusCode).toBe(404);
    expect(badRole.statusCode).toBe(422);
    expect(badRole.json().errors[0].field).toBe('role');
  });

  it('syncs a group from the provider and answers with the group and its members', async () => {
    const group = await createGroup('Sync', ['5511950000001']);
    const person = await seedContact(app, a.accountId, { name: 'Not a group' });

    const synced = await call('POST', groupUrl(group.id, 'sync_group'), a.apiKey);
    const notGroup = await call('POST', groupUrl(person, 'sync_group'), a.apiKey);

    expect(synced.statusCode).toBe(200);
    expect(synced.json()).toEqual({
      payload: {
        id: group.id,
        name: 'Sync',
        identifier: group.jid,
        thumbnail: '',
        custom_attributes: {},
        contact_inboxes: [
          {
            source_id: group.jid,
            inbox: expect.objectContaining({ id: inboxId, channel_type: 'Channel::Whatsapp' }),
          },
        ],
        group_members: [
          {
            id: expect.any(Number),
            role: 'admin',
            is_active: true,
            contact: { id: expect.any(Number), name: '+5511900000000', phone_number: '+5511900000000' },
          },
          {
            id: expect.any(Number),
            role: 'member',
            is_active: true,
            contact: { id: expect.any(Number), name: '+5511950000001', phone_number: '+5511950000001' },
          },
        ],
      },
    });
    expect(notGroup.statusCode).toBe(400);
    expect(notGroup.json()).toEqual(errorBody);
  });

  it('changes metadata and settings, and rotates the invite link', async () => {
    const group = await createGroup('Meta', ['5511960000001']);

    const metadata = await call('PATCH', groupUrl(group.id, 'group_metadata'), a.apiKey, {
      subject: 'VIP customers',
      description: 'Only the best',
    });
    const empty = await call('PATCH', groupUrl(group.id, 'group_metadata'), a.apiKey, {});
    const setting = await call('PATCH', groupUrl(group.id, 'group_admin'), a.apiKey, {
      property: 'announce',
      enabled: true,
    });
    const badSetting = await call('PATCH', groupUrl(group.id, 'group_admin'), a.apiKey, {
      property: 'ephemeral',
      enabled: true,
    });
    const contact = await call('GET', `${base(a.accountId)}/contacts/${group.id}`, a.apiKey);
    const invite = await call('GET', groupUrl(group.id, 'group_invite'), a.apiKey);
    const revoked = await call('POST', groupUrl(group.id, 'group_invite/revoke'), a.apiKey);
    const again = await call('GET', groupUrl(group.id, 'group_invite'), a.apiKey);

    expect(metadata.statusCode).toBe(200);
    expect(metadata.json()).toEqual({
      id: group.id,
      name: 'VIP customers',
      additional_attributes: expect.objectContaining({ description: 'Only the best' }),
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toEqual(errorBody);
    expect(setting.statusCode).toBe(200);
    expect(badSetting.statusCode).toBe(422);
    expect(JSON.stringify(contact.json())).toContain('"announce":true');
    const code = invite.json<{ invite_code: string }>().invite_code;
    expect(invite.json()).toEqual({ invite_code: code, invite_url: `https://chat.whatsapp.com/${code}` });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().invite_code).not.toBe(code);
    expect(again.json()).toEqual(revoked.json());
  });

  it('lists pending join requests and approves them into members', async () => {
    const group = await createGroup('Requests', ['5511970000001']);
    await standInJoinRequest(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511970000002' },
    );
    await standInJoinRequest(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511970000003' },
    );

    const pending = await call('GET', groupUrl(group.id, 'group_join_requests'), a.apiKey);
    const approved = await call('POST', groupUrl(group.id, 'group_join_requests/handle'), a.apiKey, {
      participants: ['5511970000002'],
      request_action: 'approve',
    });
    const rejected = await call('POST', groupUrl(group.id, 'group_join_requests/handle'), a.apiKey, {
      participants: ['5511970000003'],
      request_action: 'reject',
    });
    const badAction = await call('POST', groupUrl(group.id, 'group_join_requests/handle'), a.apiKey, {
      participants: ['5511970000003'],
      request_action: 'ignore',
    });
    const after = await call('GET', groupUrl(group.id, 'group_join_requests'), a.apiKey);
    const listed = await members(group.id);

    expect(pending.statusCode).toBe(200);
    expect(pending.json().payload).toEqual([
      {
        jid: '5511970000002@s.whatsapp.net',
        phone_number: '5511970000002',
        request_method: 'invite_link',
        request_time: expect.any(Number),
      },
      expect.objectContaining({ jid: '5511970000003@s.whatsapp.net' }),
    ]);
    expect(approved.statusCode).toBe(200);
    expect(rejected.statusCode).toBe(200);
    expect(badAction.statusCode).toBe(422);
    expect(after.json()).toEqual({ payload: [] });
    expect(listed.payload.map((member) => member.contact.phone_number)).toEqual([
      '+5511900000000',
      '+5511970000001',
      '+5511970000002',
    ]);
  });

  it('answers 404 for another account’s group and inbox, on every operation', async () => {
    const group = await createGroup('Private', ['5511980000001']);
    const [member] = (await members(group.id)).payload;
    const url = (path: string) => `${base(b.accountId)}/contacts/${group.id}/${path}`;

    const responses = await Promise.all([
      call('POST', `${base(b.accountId)}/groups`, b.apiKey, {
        inbox_id: inboxId,
        subject: 'x',
        participants: ['5511980000002'],
      }),
      call('POST', url('sync_group'), b.apiKey),
      call('GET', url('group_members'), b.apiKey),
      call('POST', url('group_members'), b.apiKey, { participants: ['5511980000002'] }),
      call('PATCH', url(`group_members/${member?.id}`), b.apiKey, { role: 'admin' }),
      call('DELETE', url(`group_members/${member?.id}`), b.apiKey),
      call('PATCH', url('group_metadata'), b.apiKey, { subject: 'Stolen' }),
      call('GET', url('group_invite'), b.apiKey),
      call('POST', url('group_invite/revoke'), b.apiKey),
      call('GET', url('group_join_requests'), b.apiKey),
      call('POST', url('group_join_requests/handle'), b.apiKey, {
        participants: ['5511980000002'],
        request_action: 'approve',
      }),
      call('PATCH', url('group_admin'), b.apiKey, { property: 'restrict', enabled: true }),
      call('POST', url('group_admin/leave'), b.apiKey),
    ]);
    const crossAccount = await call(
      'GET',
      `${base(a.accountId)}/contacts/${group.id}/group_members`,
      b.apiKey,
    );

    expect(responses.map((response) => response.statusCode)).toEqual(Array(13).fill(404));
    expect(responses[2].json()).toEqual({ description: 'Contact not found', errors: [] });
    expect(crossAccount.statusCode).toBe(404);
    expect((await members(group.id)).meta.total_count).toBe(2);
  });

  it('refuses bad input with 4xx and the Chatwoot error body', async () => {
    const apiInbox = await seedInbox(app, a.accountId, { name: 'API' });
    const cloudInbox = await seedWhatsappInbox(app, a.accountId, {
      phoneNumber: '+5511900000009',
      provider: 'whatsapp_cloud',
    });
    const create = (body: Record<string, unknown>, token = a.apiKey) =>
      call('POST', `${base(a.accountId)}/groups`, token, body);

    const missing = await create({ inbox_id: inboxId, subject: 'No one' });
    const badPhone = await create({ inbox_id: inboxId, subject: 'Bad', participants: ['not-a-number'] });
    const notWhatsapp = await create({ inbox_id: apiInbox, subject: 'API', participants: ['5511990000001'] });
    const noGroups = await create({
      inbox_id: cloudInbox,
      subject: 'Cloud',
      participants: ['5511990000001'],
    });
    const notMember = await create(
      { inbox_id: inboxId, subject: 'Agent', participants: ['5511990000001'] },
      agent.token,
    );
    const anonymous = await call('POST', `${base(a.accountId)}/groups`, undefined, {
      inbox_id: inboxId,
      subject: 'Anon',
      participants: ['5511990000001'],
    });
    const badPage = await call('GET', `${base(a.accountId)}/contacts/1/group_members?per_page=0`, a.apiKey);

    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toEqual(errorBody);
    expect(missing.json().errors[0].field).toBe('participants');
    expect(badPhone.statusCode).toBe(422);
    expect(badPhone.json().errors[0].field).toMatch(/^participants/);
    expect(notWhatsapp.statusCode).toBe(422);
    expect(noGroups.statusCode).toBe(422);
    expect(noGroups.json().description).toMatch(/provider unavailable/i);
    expect(notMember.statusCode).toBe(403);
    expect(notMember.json()).toEqual({ description: expect.any(String), errors: [] });
    expect(anonymous.statusCode).toBe(401);
    expect(badPage.statusCode).toBe(422);
  });
});
