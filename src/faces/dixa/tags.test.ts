import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import {
  chatwootClient,
  openConversation,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from '../chatwoot/conversations.test-kit.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe(`Dixa face: tags and tagging conversations (${backendName})`, () => {
  let app: TestApp;
  let orgA: DixaTestOrg;
  let orgB: DixaTestOrg;
  let chatwoot: ChatwootClient;
  let conversationId: number;
  let otherConversationId: number;

  const createTag = async (org: DixaTestOrg, body: Record<string, unknown>) => {
    const response = await org.call('POST', '/v1/tags', body);
    expect(response.statusCode).toBe(201);
    return response.json<{ data: { id: string; name: string; color?: string; state: string } }>().data;
  };
  const conversationTags = async (org: DixaTestOrg, id: number) => {
    const response = await org.call('GET', `/v1/conversations/${id}/tags`);
    expect(response.statusCode).toBe(200);
    return response.json<{ data: { name: string }[] }>().data.map((tag) => tag.name);
  };
  const openFor = async (org: DixaTestOrg) => {
    const inboxId = await seedInbox(app, org.accountId);
    const contactId = await seedContact(app, org.accountId);
    return openConversation(chatwootClient(app, org.apiKey), org.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
  };

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    orgA = await created.organization('Tags A');
    orgB = await created.organization('Tags B');
    chatwoot = chatwootClient(app, orgA.apiKey);
    conversationId = await openFor(orgA);
    otherConversationId = await openFor(orgB);
  });
  afterAll(() => app.close());

  it('creates a tag with the seed shape: 201 {data: {id, name, color, state}}', async () => {
    const response = await orgA.call('POST', '/v1/tags', { name: 'VIP', color: '#ff0000' });

    expect(response.statusCode).toBe(201);
    const tag = response.json().data;
    expect(tag).toEqual({
      id: expect.stringMatching(uuidPattern),
      name: 'VIP',
      color: '#ff0000',
      state: 'Active',
    });
  });

  it('omits color when none was given, and refuses a name taken in another case with 409', async () => {
    const tag = await createTag(orgA, { name: 'refund' });
    expect(Object.keys(tag).sort()).toEqual(['id', 'name', 'state']);

    const duplicate = await orgA.call('POST', '/v1/tags', { name: 'Refund' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toEqual({ message: expect.stringContaining('Refund') });
  });

  it('answers 400 {message} for a missing or blank name and for a malformed tag id', async () => {
    for (const body of [{}, { name: '   ' }, { name: 42 }]) {
      const response = await orgA.call('POST', '/v1/tags', body);
      expect(response.statusCode).toBe(400);
      expect(Object.keys(response.json())).toEqual(['message']);
    }
    expect((await orgA.call('GET', '/v1/tags/not-a-uuid')).statusCode).toBe(400);
    expect((await orgA.call('GET', '/v1/tags/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('lists the organization tags by name and reads one by id', async () => {
    const tag = await createTag(orgA, { name: 'billing-list', color: '#00ff00' });

    const list = await orgA.call('GET', '/v1/tags');
    expect(list.statusCode).toBe(200);
    const names = list.json<{ data: { name: string }[] }>().data.map((item) => item.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toEqual(expect.arrayContaining(['VIP', 'refund', 'billing-list']));
    const one = await orgA.call('GET', `/v1/tags/${tag.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ data: tag });
  });

  it('deactivates and activates a tag with 204, idempotently', async () => {
    const tag = await createTag(orgA, { name: 'seasonal' });

    for (const action of ['deactivate', 'deactivate']) {
      const response = await orgA.call('PATCH', `/v1/tags/${tag.id}/${action}`);
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
    }
    expect((await orgA.call('GET', `/v1/tags/${tag.id}`)).json().data.state).toBe('Inactive');
    expect((await orgA.call('PATCH', `/v1/tags/${tag.id}/activate`)).statusCode).toBe(204);
    expect((await orgA.call('GET', `/v1/tags/${tag.id}`)).json().data.state).toBe('Active');
  });

  it('tags a conversation (204) through the shared labels, seen by Chatwoot and recorded as conversation.updated', async () => {
    const tag = await createTag(orgA, { name: 'Priority-Customer' });

    const first = await orgA.call('PUT', `/v1/conversations/${conversationId}/tags/${tag.id}`);
    const again = await orgA.call('PUT', `/v1/conversations/${conversationId}/tags/${tag.id}`);

    expect(first.statusCode).toBe(204);
    expect(again.statusCode).toBe(204);
    const tags = await orgA.call('GET', `/v1/conversations/${conversationId}/tags`);
    expect(tags.json()).toEqual({ data: [tag] });
    const labels = await chatwoot.get(
      `/api/v1/accounts/${orgA.accountId}/conversations/${conversationId}/labels`,
    );
    expect(labels.json()).toEqual({ payload: ['Priority-Customer'] });
    const updates = await app.parley.ctx.db
      .select({ payload: events.payload })
      .from(events)
      .where(and(eq(events.accountId, orgA.accountId), eq(events.type, 'conversation.updated')));
    const labelChanges = updates.map(
      (row) => (row.payload as { changes: Record<string, unknown> }).changes.labels,
    );
    expect(labelChanges).toContainEqual({ from: [], to: ['Priority-Customer'] });
    expect(labelChanges.filter(Boolean)).toHaveLength(1);
  });

  it('refuses to add an inactive tag with 400, but removes it with 204', async () => {
    const tag = await createTag(orgA, { name: 'legacy' });
    expect((await orgA.call('PUT', `/v1/conversations/${conversationId}/tags/${tag.id}`)).statusCode).toBe(
      204,
    );
    await orgA.call('PATCH', `/v1/tags/${tag.id}/deactivate`);
    const other = await createTag(orgA, { name: 'legacy-2' });
    await orgA.call('PATCH', `/v1/tags/${other.id}/deactivate`);

    const add = await orgA.call('PUT', `/v1/conversations/${conversationId}/tags/${other.id}`);
    const remove = await orgA.call('DELETE', `/v1/conversations/${conversationId}/tags/${tag.id}`);

    expect(add.statusCode).toBe(400);
    expect(add.json()).toEqual({ message: expect.stringMatching(/inactive/i) });
    expect(remove.statusCode).toBe(204);
    expect(await conversationTags(orgA, conversationId)).toEqual(['Priority-Customer']);
    expect((await orgA.call('DELETE', `/v1/conversations/${conversationId}/tags/${tag.id}`)).statusCode).toBe(
      204,
    );
  });

  it('answers 404 for an unknown conversation or tag and 400 for a malformed conversation id', async () => {
    const tag = await createTag(orgA, { name: 'lost' });

    expect((await orgA.call('PUT', `/v1/conversations/99999/tags/${tag.id}`)).statusCode).toBe(404);
    expect((await orgA.call('GET', '/v1/conversations/99999/tags')).statusCode).toBe(404);
    const unknownTag = '00000000-0000-4000-8000-000000000001';
    expect(
      (await orgA.call('PUT', `/v1/conversations/${conversationId}/tags/${unknownTag}`)).statusCode,
    ).toBe(404);
    expect((await orgA.call('GET', '/v1/conversations/abc/tags')).statusCode).toBe(400);
  });

  it('gives a label set through Chatwoot a tag row: Active, no colour, one per name whatever its case', async () => {
    const set = await chatwoot.post(
      `/api/v1/accounts/${orgA.accountId}/conversations/${conversationId}/labels`,
      {
        labels: ['Priority-Customer', 'from-chatwoot', 'VIP'.toLowerCase()],
      },
    );
    expect(set.statusCode).toBe(200);

    const tags = await orgA.call('GET', `/v1/conversations/${conversationId}/tags`);
    const byName = new Map(tags.json<{ data: { name: string }[] }>().data.map((tag) => [tag.name, tag]));
    expect(byName.get('from-chatwoot')).toEqual({
      id: expect.stringMatching(uuidPattern),
      name: 'from-chatwoot',
      state: 'Active',
    });
    expect(byName.get('VIP')).toMatchObject({ color: '#ff0000' });
    const all = (await orgA.call('GET', '/v1/tags')).json<{ data: { name: string }[] }>().data;
    expect(all.filter((tag) => tag.name.toLowerCase() === 'vip')).toHaveLength(1);
  });

  it('keeps tags to their organization: another organization gets 404 and never sees them', async () => {
    const tag = await createTag(orgA, { name: 'secret-a' });

    expect((await orgB.call('GET', `/v1/tags/${tag.id}`)).statusCode).toBe(404);
    expect((await orgB.call('PATCH', `/v1/tags/${tag.id}/deactivate`)).statusCode).toBe(404);
    expect(
      (await orgB.call('PUT', `/v1/conversations/${otherConversationId}/tags/${tag.id}`)).statusCode,
    ).toBe(404);
    expect(
      (await orgB.call('DELETE', `/v1/conversations/${otherConversationId}/tags/${tag.id}`)).statusCode,
    ).toBe(404);
    const listB = (await orgB.call('GET', '/v1/tags')).body;
    expect(listB).not.toContain(tag.id);
    expect((await orgA.call('GET', `/v1/tags/${tag.id}`)).json().data.state).toBe('Active');
    // Org B may use the same name for its own tag.
    await createTag(orgB, { name: 'secret-a' });
    expect(await conversationTags(orgB, otherConversationId)).toEqual([]);
  });
});
