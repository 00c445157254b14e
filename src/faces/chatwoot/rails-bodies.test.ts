import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import {
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  chatwootClient,
} from './conversations.test-kit.js';

type Fields = [string, string][];
type Kind = 'json' | 'form' | 'multipart';

const BOUNDARY = '----parley-rails-form';

function formText(fields: Fields): string {
  return fields.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

function multipartText(fields: Fields): string {
  const parts = fields.map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join('')}--${BOUNDARY}--\r\n`;
}

/**
 * Real Chatwoot is a Rails app: clients post forms (`contact[name]=x`, `labels[]=a`) and multipart
 * bodies as readily as JSON, and bodyless POSTs where every field is optional. Each case sends the
 * same request every way and expects the same answer.
 */
describe(`Chatwoot face accepts the bodies Rails accepts (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let apiKey: string;
  let inboxId: number;
  let contactId: number;
  let agentId: number;
  let inject: ReturnType<typeof injector>;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    ({ accountId, apiKey } = await seedAccount(app, 'Acme'));
    inboxId = await seedInbox(app, accountId);
    contactId = await seedContact(app, accountId);
    agentId = (await seedAgent(app, accountId)).userId;
  });

  afterAll(async () => {
    await app.close();
  });

  const url = (path: string) => `/chatwoot/api/v1/accounts/${accountId}${path}`;

  function send(
    method: 'POST' | 'PATCH' | 'PUT',
    path: string,
    kind: Kind,
    json: unknown,
    fields: Fields,
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { api_access_token: apiKey };
    if (kind === 'json') return inject({ method, url: url(path), headers, payload: json as object });
    headers['content-type'] =
      kind === 'form' ? 'application/x-www-form-urlencoded' : `multipart/form-data; boundary=${BOUNDARY}`;
    return inject({
      method,
      url: url(path),
      headers,
      payload: kind === 'form' ? formText(fields) : multipartText(fields),
    });
  }

  async function newConversation(): Promise<number> {
    return openConversation(chatwootClient(app, apiKey), accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
  }

  it.each<Kind>(['json', 'form', 'multipart'])(
    'creates a contact with nested attributes and a false boolean from a %s body',
    async (kind) => {
      const email = `${randomUUID()}@example.com`;
      const response = await send(
        'POST',
        '/contacts',
        kind,
        { inbox_id: inboxId, name: 'Ada', email, blocked: false, additional_attributes: { city: 'Paris' } },
        [
          ['inbox_id', String(inboxId)],
          ['name', 'Ada'],
          ['email', email],
          ['blocked', 'false'],
          ['additional_attributes[city]', 'Paris'],
        ],
      );

      expect(response.statusCode).toBe(200);
      const contact = response.json();
      expect(contact).toMatchObject({
        name: 'Ada',
        email,
        blocked: false,
        additional_attributes: { city: 'Paris' },
      });
      expect(contact.contact_inboxes.map((entry: { inbox: { id: number } }) => entry.inbox.id)).toEqual([
        inboxId,
      ]);
    },
  );

  it.each<Kind>(['json', 'form', 'multipart'])('sets conversation labels from a %s list', async (kind) => {
    const displayId = await newConversation();

    const response = await send(
      'POST',
      `/conversations/${displayId}/labels`,
      kind,
      { labels: ['vip', 'billing'] },
      [
        ['labels[]', 'vip'],
        ['labels[]', 'billing'],
      ],
    );

    expect(response.statusCode).toBe(200);
    expect(response.json().payload.sort()).toEqual(['billing', 'vip']);
  });

  it.each<Kind>(['json', 'form', 'multipart'])(
    'reads numbers and booleans of a %s team body',
    async (kind) => {
      const name = `Team ${kind}`;
      const created = await send('POST', '/teams', kind, { name, allow_auto_assign: false }, [
        ['name', name],
        ['allow_auto_assign', 'false'],
      ]);
      expect(created.statusCode).toBe(200);
      expect(created.json()).toMatchObject({ name, allow_auto_assign: false });
      const teamId = created.json().id as number;

      const members = await send('POST', `/teams/${teamId}/team_members`, kind, { user_ids: [agentId] }, [
        ['user_ids[]', String(agentId)],
      ]);

      expect(members.statusCode).toBe(200);
      expect(members.json().map((agent: { id: number }) => agent.id)).toEqual([agentId]);
    },
  );

  it.each<Kind>(['json', 'form', 'multipart'])(
    'saves a custom filter wrapped Rails-style with a nested query from a %s body',
    async (kind) => {
      const query = { payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'] }] };
      const response = await send(
        'POST',
        '/custom_filters',
        kind,
        { custom_filter: { name: 'Open', query } },
        [
          ['custom_filter[name]', 'Open'],
          ['custom_filter[query][payload][0][attribute_key]', 'status'],
          ['custom_filter[query][payload][0][filter_operator]', 'equal_to'],
          ['custom_filter[query][payload][0][values][]', 'open'],
        ],
      );

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ name: 'Open', type: 'conversation', query });
    },
  );

  it.each<Kind>(['json', 'form', 'multipart'])('posts a private note from a %s body', async (kind) => {
    const displayId = await newConversation();

    const response = await send(
      'POST',
      `/conversations/${displayId}/messages`,
      kind,
      { content: 'internal', private: true, content_attributes: { in_reply_to: 'x' } },
      [
        ['content', 'internal'],
        ['private', 'true'],
        ['content_attributes[in_reply_to]', 'x'],
      ],
    );

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      content: 'internal',
      private: true,
      message_type: 1,
      content_attributes: { in_reply_to: 'x' },
    });
  });

  it('toggles a status with no body at all, an empty JSON body and an empty form', async () => {
    const displayId = await newConversation();
    const path = url(`/conversations/${displayId}/toggle_status`);
    const headers = { api_access_token: apiKey };

    const bare = await inject({ method: 'POST', url: path, headers });
    const emptyJson = await inject({
      method: 'POST',
      url: path,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '',
    });
    const emptyForm = await inject({
      method: 'POST',
      url: path,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });

    // Each bodyless toggle flips open ↔ resolved, as Chatwoot's toggle does without a status.
    expect([bare, emptyJson, emptyForm].map((response) => response.statusCode)).toEqual([200, 200, 200]);
    expect([bare, emptyJson, emptyForm].map((response) => response.json().payload.current_status)).toEqual([
      'resolved',
      'open',
      'resolved',
    ]);
  });

  it.each<Kind>(['json', 'form', 'multipart'])('filters contacts with a %s filter payload', async (kind) => {
    const name = `Filtered ${kind}`;
    await send('POST', '/contacts', 'json', { name }, []);
    const payload = [
      { attribute_key: 'name', filter_operator: 'equal_to', values: [name], query_operator: null },
    ];

    const response = await send('POST', '/contacts/filter', kind, { payload }, [
      ['payload[0][attribute_key]', 'name'],
      ['payload[0][filter_operator]', 'equal_to'],
      ['payload[0][values][]', name],
    ]);

    expect(response.statusCode).toBe(200);
    expect(response.json().payload.map((contact: { name: string }) => contact.name)).toEqual([name]);
  });

  it('refuses a form boolean that is no boolean, naming the field', async () => {
    const response = await send('POST', '/teams', 'form', undefined, [
      ['name', 'Bad flag'],
      ['allow_auto_assign', 'maybe'],
    ]);

    expect(response.statusCode).toBe(422);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(
      'allow_auto_assign',
    );
  });

  it('still refuses malformed JSON with a 400 in the Chatwoot error body', async () => {
    const response = await inject({
      method: 'POST',
      url: url('/teams'),
      headers: { api_access_token: apiKey, 'content-type': 'application/json' },
      payload: '{"name": ',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ description: expect.any(String), errors: expect.any(Array) });
  });
});
