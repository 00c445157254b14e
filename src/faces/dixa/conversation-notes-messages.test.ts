import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { TestApp } from '../../testing/app.js';
import { events } from '../../platform/events/events.tables.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import {
  emailConversationBody,
  seedChannelInbox,
  seedDixaAgent,
  seedEndUser,
} from './conversations.test-kit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INTEGRATION = 'help@email.dixa.test';

describe('Dixa face: messages and internal notes of a conversation', () => {
  let app: TestApp;
  let orgA: DixaTestOrg;
  let orgB: DixaTestOrg;
  let requester: { id: number; uuid: string };
  let agent: { userId: number; uuid: string };
  let conversationId: number;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    orgA = await created.organization('Org A');
    orgB = await created.organization('Org B');
    await seedChannelInbox(app, orgA.accountId, 'email', { email: INTEGRATION });
    requester = await seedEndUser(app, orgA.accountId, { email: 'max@customer.test' });
    agent = await seedDixaAgent(app, orgA.accountId);
    const response = await orgA.call(
      'POST',
      '/v1/conversations',
      emailConversationBody(requester.uuid, INTEGRATION),
    );
    conversationId = response.json<{ data: { id: number } }>().data.id;
  });
  afterAll(() => app.close());

  const path = (suffix: string, id = conversationId) => `/v1/conversations/${id}${suffix}`;

  it('adds an outbound message from an agent and answers CreateMessageOutput', async () => {
    const response = await orgA.call('POST', path('/messages'), {
      _type: 'Outbound',
      agentId: agent.uuid,
      content: { _type: 'Text', value: 'It ships tomorrow.' },
      externalId: 'crm-42',
      attachments: [{ url: 'https://files.test/label.pdf', prettyName: 'Label' }],
    });

    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toEqual({
      data: {
        content: { _type: 'Text', value: 'It ships tomorrow.' },
        authorId: agent.uuid,
        createdAt: expect.any(String),
        direction: 'Outbound',
        messageId: expect.stringMatching(UUID),
        externalId: 'crm-42',
      },
    });
  });

  it('stores a retried message (same externalId) once', async () => {
    const body = { _type: 'Inbound', content: { value: 'Thanks!' }, externalId: 'mail-7' };

    const first = await orgA.call('POST', path('/messages'), body);
    const retry = await orgA.call('POST', path('/messages'), body);

    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().data.messageId).toBe(first.json().data.messageId);
    expect(first.json().data.authorId).toBe(requester.uuid);
  });

  it('lists messages in order with their files, without the internal notes', async () => {
    await orgA.call('POST', path('/notes'), { agentId: agent.uuid, message: 'VIP customer' });

    const response = await orgA.call('GET', path('/messages'));

    expect(response.statusCode).toBe(200);
    const data = response.json<{ data: { attributes: Record<string, unknown>; externalId?: string }[] }>()
      .data;
    expect(data.map((message) => message.attributes.direction)).toEqual(['Inbound', 'Outbound', 'Inbound']);
    expect(data[1]).toMatchObject({
      externalId: 'crm-42',
      attributes: { attachments: [{ url: 'https://files.test/label.pdf', prettyName: 'Label' }] },
    });
    expect(JSON.stringify(data)).not.toContain('VIP customer');
  });

  it('refuses an outbound message without an agent, and a blank one', async () => {
    const noAgent = await orgA.call('POST', path('/messages'), {
      _type: 'Outbound',
      content: { value: 'x' },
    });
    const blank = await orgA.call('POST', path('/messages'), { _type: 'Inbound', content: { value: '  ' } });

    expect(noAgent.statusCode).toBe(400);
    expect(blank.statusCode).toBe(400);
  });

  it('creates an internal note with its original time and lists it as InternalNoteData', async () => {
    const created = await orgA.call('POST', path('/notes'), {
      agentId: agent.uuid,
      message: 'A sample note',
      createdAt: '2021-12-01T12:46:36.581Z[GMT]',
    });

    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({
      data: {
        id: expect.stringMatching(UUID),
        csid: conversationId,
        message: 'A sample note',
        authorId: agent.uuid,
        createdAt: '2021-12-01T12:46:36.581Z',
      },
    });
    const listed = await orgA.call('GET', path('/notes'));
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data[0]).toEqual(created.json().data);
  });

  it('needs an agent for a note when the API key belongs to nobody', async () => {
    const response = await orgA.call('POST', path('/notes'), { message: 'Another sample note' });

    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/agentId/);
  });

  it('takes the token owner as author when a note names no agent', async () => {
    const response = await app.parley.server.inject({
      method: 'POST',
      url: `/dixa${path('/notes')}`,
      headers: { authorization: (await seedDixaAgent(app, orgA.accountId)).token },
      payload: { message: 'Written by me' },
    });

    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().data.authorId).toMatch(UUID);
  });

  it('creates bulk notes item by item: a bad note fails alone', async () => {
    const response = await orgA.call('POST', path('/notes/bulk'), {
      data: [
        { agentId: agent.uuid, message: 'First', createdAt: '2021-12-01T12:46:36.581Z[GMT]' },
        { agentId: agent.uuid, message: '' },
        { agentId: requester.uuid, message: 'By a customer?' },
        { agentId: agent.uuid, message: 'Last' },
      ],
    });

    expect(response.statusCode, response.body).toBe(200);
    const outcomes = response.json<{ data: Record<string, unknown>[] }>().data;
    expect(outcomes).toHaveLength(4);
    expect(outcomes[0]).toEqual({
      data: expect.objectContaining({ message: 'First', csid: conversationId }),
    });
    expect(outcomes[1]).toEqual({ error: { message: expect.stringContaining('message') } });
    expect(outcomes[2]).toEqual({ error: { message: expect.stringContaining('agentId') } });
    expect(outcomes[3]).toEqual({ data: expect.objectContaining({ message: 'Last' }) });
    const notes = await orgA.call('GET', path('/notes'));
    const texts = notes.json<{ data: { message: string }[] }>().data.map((note) => note.message);
    expect(texts).toContain('First');
    expect(texts).toContain('Last');
    expect(texts).not.toContain('By a customer?');
  });

  it('records message.created for a note as a private message', async () => {
    const rows = await app.parley.ctx.db
      .select({ payload: events.payload })
      .from(events)
      .where(and(eq(events.accountId, orgA.accountId), eq(events.type, 'message.created')));

    const notes = rows.filter((row) => (row.payload.message as { private: boolean }).private);

    expect(notes.length).toBeGreaterThanOrEqual(3);
  });

  it("keeps organizations apart: B can neither read nor write A's messages and notes", async () => {
    const requests = [
      orgB.call('GET', path('/messages')),
      orgB.call('POST', path('/messages'), { _type: 'Inbound', content: { value: 'hi' } }),
      orgB.call('GET', path('/notes')),
      orgB.call('POST', path('/notes'), { agentId: agent.uuid, message: 'sneaky' }),
      orgB.call('POST', path('/notes/bulk'), { data: [{ agentId: agent.uuid, message: 'sneaky' }] }),
    ];

    const statuses = (await Promise.all(requests)).map((response) => response.statusCode);

    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    const notes = await orgA.call('GET', path('/notes'));
    expect(JSON.stringify(notes.json())).not.toContain('sneaky');
  });

  it('answers 404 for a conversation that does not exist', async () => {
    const response = await orgA.call('GET', path('/notes', 999_999));

    expect(response.statusCode).toBe(404);
  });
});
