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

  it('finds the SQLSTATE however the ORM wraps the driver error', () => {
    const wrapped = new Error('query failed', { cause: Object.assign(new Error('dup'), { code: '23505' }) });

    expect(sqlStateOf(wrapped)).toBe('23505');
    expect(sqlStateOf(new Error('plain'))).toBeUndefined();
    expect(toProblem(wrapped)).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(toProblem(new Error('plain'))).toMatchObject({ status: 500 });
  });
});
