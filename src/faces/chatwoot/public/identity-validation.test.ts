import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, seedAccount, type TestApp } from '../../../testing/app.js';
import { backendName } from '../../../testing/database.js';
import { contactInboxes, contacts } from '../../../core/contacts/contacts.tables.js';
import { publicContactSchema, publicInboxSchema } from './public-serializers.js';

const HMAC_FAILED = 'HMAC failed: Invalid Identifier Hash Provided';

describe(`Chatwoot client API identity validation (${backendName})`, () => {
  let app: TestApp;
  let request: ReturnType<typeof injector>;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };

  interface CreatedInbox {
    id: number;
    inbox_identifier?: string;
    website_token?: string;
    hmac_token: string;
    hmac_mandatory: boolean;
  }

  beforeAll(async () => {
    app = await createTestApp();
    request = injector(app);
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
  });
  afterAll(async () => {
    await app.close();
  });

  async function createInbox(channel: Record<string, unknown>): Promise<CreatedInbox> {
    const response = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/inboxes`,
      headers: { api_access_token: acme.apiKey },
      payload: { name: 'Signed', channel: { type: 'api', ...channel } },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<CreatedInbox>();
  }

  const sign = (token: string, identifier: string) =>
    createHmac('sha256', token).update(identifier).digest('hex');
  const contactsUrl = (identifier: string) => `/chatwoot/public/api/v1/inboxes/${identifier}/contacts`;

  async function isVerified(sourceId: string): Promise<boolean | undefined> {
    const [row] = await app.parley.ctx.db
      .select({ hmacVerified: contactInboxes.hmacVerified })
      .from(contactInboxes)
      .where(and(eq(contactInboxes.accountId, acme.accountId), eq(contactInboxes.sourceId, sourceId)));
    return row?.hmacVerified;
  }

  async function contactsWithIdentifier(identifier: string) {
    return app.parley.ctx.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.accountId, acme.accountId), eq(contacts.identifier, identifier)));
  }

  it('gives API and widget inboxes an HMAC token, and lets an administrator make validation mandatory', async () => {
    const api = await createInbox({});
    const widget = await createInbox({ type: 'web_widget', website_url: 'https://shop.example.com' });
    const inboxUrl = (accountId: number) => `/chatwoot/api/v1/accounts/${accountId}/inboxes/${api.id}`;

    const intruder = await request({
      method: 'PATCH',
      url: inboxUrl(globex.accountId),
      headers: { api_access_token: globex.apiKey },
      payload: { channel: { hmac_mandatory: true } },
    });
    const before = await request({
      method: 'GET',
      url: `/chatwoot/public/api/v1/inboxes/${api.inbox_identifier}`,
    });
    const updated = await request({
      method: 'PATCH',
      url: inboxUrl(acme.accountId),
      headers: { api_access_token: acme.apiKey },
      payload: { channel: { hmac_mandatory: true } },
    });
    const after = await request({
      method: 'GET',
      url: `/chatwoot/public/api/v1/inboxes/${api.inbox_identifier}`,
    });

    expect(api.hmac_token.length).toBeGreaterThanOrEqual(24);
    expect(widget.hmac_token.length).toBeGreaterThanOrEqual(24);
    expect(widget.hmac_token).not.toBe(api.hmac_token);
    expect(api.hmac_mandatory).toBe(false);
    expect(intruder.statusCode).toBe(404);
    expect(publicInboxSchema.parse(before.json()).identity_validation_enabled).toBe(false);
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ hmac_mandatory: true });
    expect(publicInboxSchema.parse(after.json()).identity_validation_enabled).toBe(true);
  });

  it('marks a visitor verified when the identifier is signed, and leaves an unsigned one unverified', async () => {
    const inbox = await createInbox({});
    const url = contactsUrl(inbox.inbox_identifier!);

    const signed = await request({
      method: 'POST',
      url,
      payload: { identifier: 'user-1', identifier_hash: sign(inbox.hmac_token, 'user-1'), name: 'One' },
    });
    const unsigned = await request({ method: 'POST', url, payload: { identifier: 'user-2', name: 'Two' } });
    const forged = await request({
      method: 'POST',
      url,
      payload: { identifier: 'user-3', identifier_hash: sign('not-the-token', 'user-3') },
    });
    const unsignedSource = publicContactSchema.parse(unsigned.json()).source_id;
    const unverifiedBefore = await isVerified(unsignedSource);
    const signedLater = await request({
      method: 'PATCH',
      url: `${url}/${unsignedSource}`,
      payload: { identifier_hash: sign(inbox.hmac_token, 'user-2') },
    });

    expect(signed.statusCode).toBe(200);
    expect(await isVerified(publicContactSchema.parse(signed.json()).source_id)).toBe(true);
    expect(unsigned.statusCode).toBe(200);
    expect(unverifiedBefore).toBe(false);
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toEqual({ description: HMAC_FAILED, errors: [] });
    expect(await contactsWithIdentifier('user-3')).toEqual([]);
    expect(signedLater.statusCode, signedLater.body).toBe(200);
    expect(await isVerified(unsignedSource)).toBe(true);
  });

  it('refuses unsigned and wrongly signed visitors where validation is mandatory, never with a 5xx', async () => {
    const strict = await createInbox({ hmac_mandatory: true });
    const other = await createInbox({});
    const url = contactsUrl(strict.inbox_identifier!);
    const attempts = [
      { identifier: 'user-9' },
      { identifier: 'user-9', identifier_hash: 'f'.repeat(64) },
      { identifier: 'user-9', identifier_hash: sign(strict.hmac_token, 'user-10') },
      { identifier: 'user-9', identifier_hash: sign(other.hmac_token, 'user-9') },
      { identifier: 'user-9', identifier_hash: 'é'.repeat(64) },
      { identifier_hash: sign(strict.hmac_token, '') },
      {},
    ];

    const refused = await Promise.all(attempts.map((payload) => request({ method: 'POST', url, payload })));
    const valid = await request({
      method: 'POST',
      url,
      payload: { identifier: 'user-9', identifier_hash: sign(strict.hmac_token, 'user-9'), name: 'Nine' },
    });
    const sourceId = publicContactSchema.parse(valid.json()).source_id;
    const unsignedUpdate = await request({
      method: 'PATCH',
      url: `${url}/${sourceId}`,
      payload: { name: 'Hijacked' },
    });
    const signedUpdate = await request({
      method: 'PATCH',
      url: `${url}/${sourceId}`,
      // No identifier in the body: the hash signs the one the contact already has.
      payload: { name: 'Nine Again', identifier_hash: sign(strict.hmac_token, 'user-9') },
    });

    expect(refused.map((response) => response.statusCode)).toEqual(attempts.map(() => 401));
    expect(refused.every((response) => response.json().description === HMAC_FAILED)).toBe(true);
    expect(await contactsWithIdentifier('user-9')).toHaveLength(1);
    expect(valid.statusCode).toBe(200);
    expect(await isVerified(sourceId)).toBe(true);
    expect(unsignedUpdate.statusCode).toBe(401);
    expect(signedUpdate.statusCode).toBe(200);
    expect(signedUpdate.json()).toMatchObject({ name: 'Nine Again' });
  });
});
