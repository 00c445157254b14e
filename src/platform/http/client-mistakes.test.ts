import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { sqlStateOf } from '../db/database-errors.js';
import { toProblem } from './problem.js';

describe(`client mistakes caught below the validators (${backendName})`, () => {
  let app: TestApp;
  let request: ReturnType<typeof injector>;
  let acme: { accountId: number; apiKey: string };

  beforeAll(async () => {
    app = await createTestApp();
    request = injector(app);
    acme = await seedAccount(app, 'Acme');
  });
  afterAll(async () => {
    await app.close();
  });

  const contacts = () => `/chatwoot/api/v1/accounts/${acme.accountId}/contacts`;

  it('answers 422 for a NUL character, in the face’s error body, and stores nothing', async () => {
    const created = await request({
      method: 'POST',
      url: contacts(),
      headers: { api_access_token: acme.apiKey },
      payload: { name: 'Null\u0000Byte', email: 'nul@example.com' },
    });
    const filtered = await request({
      method: 'POST',
      url: `${contacts()}/filter`,
      headers: { api_access_token: acme.apiKey },
      payload: {
        payload: [
          { attribute_key: 'name', filter_operator: 'contains', values: ['\u0000'], query_operator: null },
        ],
      },
    });
    const listed = await request({
      method: 'GET',
      url: contacts(),
      headers: { api_access_token: acme.apiKey },
    });

    expect(created.statusCode).toBe(422);
    expect(created.json()).toMatchObject({ description: expect.stringMatching(/cannot be stored/) });
    expect(filtered.statusCode).toBe(422);
    expect(listed.json<{ meta: { count: number } }>().meta.count).toBe(0);
  });

  it('answers 400 for a multipart body whose boundary does not match its header', async () => {
    const inbox = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/inboxes`,
      headers: { api_access_token: acme.apiKey },
      payload: { name: 'Support', channel: { type: 'api' } },
    });
    const contact = await request({
      method: 'POST',
      url: contacts(),
      headers: { api_access_token: acme.apiKey },
      payload: { name: 'Mia', email: 'mia@example.com', inbox_id: inbox.json<{ id: number }>().id },
    });
    const created = contact.json<{ id: number; contact_inboxes: { source_id: string }[] }>();
    const conversation = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/conversations`,
      headers: { api_access_token: acme.apiKey },
      payload: {
        inbox_id: inbox.json<{ id: number }>().id,
        contact_id: created.id,
        source_id: created.contact_inboxes[0]?.source_id,
      },
    });
    const messages = `/chatwoot/api/v1/accounts/${acme.accountId}/conversations/${conversation.json<{ id: number }>().id}/messages`;

    const broken = await request({
      method: 'POST',
      url: messages,
      headers: { api_access_token: acme.apiKey, 'content-type': 'multipart/form-data; boundary=y' },
      payload: '--x\r\nContent-Disposition: form-data; name="content"\r\n\r\nhi\r\n--x--\r\n',
    });
    const listed = await request({
      method: 'GET',
      url: messages,
      headers: { api_access_token: acme.apiKey },
    });

    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ description: expect.stringMatching(/Malformed multipart body/) });
    expect(listed.json<{ payload: unknown[] }>().payload).toHaveLength(0);
  });

  /** An API inbox, a contact in it and a conversation, made through the Chatwoot API. */
  async function openConversation(): Promise<string> {
    const headers = { api_access_token: acme.apiKey };
    const inbox = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/inboxes`,
      headers,
      payload: { name: 'Deep', channel: { type: 'api' } },
    });
    const inboxId = inbox.json<{ id: number }>().id;
    const contact = await request({
      method: 'POST',
      url: contacts(),
      headers,
      payload: { name: 'Dee', inbox_id: inboxId },
    });
    const created = contact.json<{ id: number; contact_inboxes: { source_id: string }[] }>();
    const conversation = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/conversations`,
      headers,
      payload: {
        inbox_id: inboxId,
        contact_id: created.id,
        source_id: created.contact_inboxes[0]?.source_id,
      },
    });
    return `/chatwoot/api/v1/accounts/${acme.accountId}/conversations/${conversation.json<{ id: number }>().id}`;
  }

  describe('free-form JSON nested 5,000 deep', () => {
    // Built as text: a nested object this deep cannot even be serialized by JSON.stringify.
    const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const send = (method: 'POST' | 'PATCH', url: string, headers: Record<string, string>, body: string) =>
      request({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: body });

    it('answers 422 on every Chatwoot field that stores JSON, naming the field, and stores nothing', async () => {
      const headers = { api_access_token: acme.apiKey };
      const conversation = await openConversation();

      const contact = await send(
        'POST',
        contacts(),
        headers,
        `{"name":"Deep","custom_attributes":${deepObject(5000)}}`,
      );
      const contactArrays = await send(
        'POST',
        contacts(),
        headers,
        `{"name":"Deeper","additional_attributes":{"a":${deepArray(200_000)}}}`,
      );
      const conversationCreate = await send(
        'POST',
        `/chatwoot/api/v1/accounts/${acme.accountId}/conversations`,
        headers,
        `{"source_id":"x","inbox_id":1,"additional_attributes":${deepObject(5000)}}`,
      );
      const message = await send(
        'POST',
        `${conversation}/messages`,
        headers,
        `{"content":"hi","content_attributes":${deepObject(5000)}}`,
      );
      const attributes = await send(
        'POST',
        `${conversation}/custom_attributes`,
        headers,
        `{"custom_attributes":${deepObject(5000)}}`,
      );
      const messages = await request({ method: 'GET', url: `${conversation}/messages`, headers });

      for (const response of [contact, contactArrays, conversationCreate, message, attributes]) {
        expect(response.statusCode).toBe(422);
        expect(response.json()).toMatchObject({
          errors: [expect.objectContaining({ message: expect.stringMatching(/deeper than 32 levels/) })],
        });
      }
      expect(contact.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('custom_attributes');
      expect(messages.json<{ payload: unknown[] }>().payload).toHaveLength(0);
    });

    it('answers 422 in a multipart message whose content_attributes are 5,000 deep', async () => {
      const conversation = await openConversation();
      const boundary = 'deep-boundary';
      const body = [
        `--${boundary}`,
        'Content-Disposition: form-data; name="content"',
        '',
        'hello',
        `--${boundary}`,
        'Content-Disposition: form-data; name="content_attributes"',
        '',
        deepObject(5000),
        `--${boundary}--`,
        '',
      ].join('\r\n');

      const response = await request({
        method: 'POST',
        url: `${conversation}/messages`,
        headers: {
          api_access_token: acme.apiKey,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: body,
      });

      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ errors: [{ field: 'content_attributes' }] });
    });

    it('answers 422 in the native error body for account settings 5,000 deep', async () => {
      const response = await send(
        'PATCH',
        `/api/v1/accounts/${acme.accountId}`,
        { authorization: `Bearer ${acme.apiKey}` },
        `{"settings":${deepObject(5000)}}`,
      );

      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        error: { code: 'validation_failed', details: [{ path: 'body.settings' }] },
      });
    });

    it('still stores attribute bags of ordinary depth', async () => {
      const response = await send(
        'POST',
        contacts(),
        { api_access_token: acme.apiKey },
        `{"name":"Shallow","custom_attributes":{"plan":${deepObject(31)}}}`,
      );

      expect(response.statusCode).toBe(200);
    });
  });

  describe('filters with values out of any date range', () => {
    const filter = (resource: 'contacts' | 'conversations', condition: Record<string, unknown>) =>
      request({
        method: 'POST',
        url: `/chatwoot/api/v1/accounts/${acme.accountId}/${resource}/filter`,
        headers: { api_access_token: acme.apiKey },
        payload: { payload: [{ query_operator: null, ...condition }] },
      });

    it('answers 422 for days_before with a huge number of days, on contacts and conversations', async () => {
      const huge = { attribute_key: 'created_at', filter_operator: 'days_before', values: [1e12] };

      const onContacts = await filter('contacts', huge);
      const onConversations = await filter('conversations', { ...huge, attribute_key: 'last_activity_at' });

      for (const response of [onContacts, onConversations]) {
        expect(response.statusCode).toBe(422);
        expect(response.json()).toMatchObject({
          errors: [{ field: 'payload.0.values', message: expect.stringMatching(/between 0 and 36500/) }],
        });
      }
    });

    it('answers 422 for a date at the edge of what JavaScript can hold', async () => {
      const response = await filter('contacts', {
        attribute_key: 'created_at',
        filter_operator: 'is_greater_than',
        values: ['+275760-09-13T00:00:00.000Z'],
      });

      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ errors: [{ field: 'payload.0.values' }] });
    });
  });

  it('answers 400, not 500, for repeated scalar parameters on a signed blob URL', async () => {
    const response = await request({
      method: 'GET',
      url: '/blobs/recordings/x.wav?expires=1&expires=2&signature=x&signature=y',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: { code: 'bad_request', details: [{ path: 'expires' }, { path: 'signature' }] },
    });
  });

  it('answers a too-long path parameter and a badly encoded URL in the face the path names', async () => {
    const long = 'x'.repeat(600);
    const native = await request({ method: 'GET', url: `/api/v1/accounts/${long}` });
    const chatwoot = await request({
      method: 'GET',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/contacts/${long}`,
      headers: { api_access_token: acme.apiKey },
    });
    const badlyEncoded = await request({ method: 'GET', url: `/chatwoot/api/v1/accounts/%E0%A4%A` });

    expect(native.statusCode).toBe(414);
    expect(native.json()).toMatchObject({
      error: { code: 'bad_request', message: 'A path parameter is too long' },
    });
    expect(chatwoot.statusCode).toBe(414);
    expect(chatwoot.json()).toMatchObject({ description: 'A path parameter is too long' });
    expect(badlyEncoded.statusCode).toBe(400);
    expect(badlyEncoded.json()).toMatchObject({ description: 'The URL is not validly encoded' });
  });

  it('answers 426 in the native error body to a plain GET on the WebSocket route', async () => {
    const response = await request({
      method: 'GET',
      url: `/api/v1/accounts/${acme.accountId}/realtime`,
      headers: { authorization: `Bearer ${acme.apiKey}` },
    });

    expect(response.statusCode).toBe(426);
    expect(response.json()).toMatchObject({ error: { code: 'upgrade_required' } });
  });

  it('finds the SQLSTATE however the ORM wraps the driver error', () => {
    const wrapped = new Error('query failed', { cause: Object.assign(new Error('dup'), { code: '23505' }) });

    expect(sqlStateOf(wrapped)).toBe('23505');
    expect(sqlStateOf(new Error('plain'))).toBeUndefined();
    expect(toProblem(wrapped)).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(toProblem(new Error('plain'))).toMatchObject({ status: 500 });
  });
});
