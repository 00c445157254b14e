import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { customAttributeDefinitions } from '../../core/custom-attributes/custom-attributes.tables.js';
import { seedAgent } from './conversations.test-kit.js';
import { contactsClient, type ContactsClient } from './contacts.test-kit.js';

interface DefinitionJson {
  id: number;
  attribute_display_name: string;
  attribute_display_type: string;
  attribute_description?: string;
  attribute_key: string;
  regex_pattern?: string;
  regex_cue?: string;
  attribute_values: string;
  attribute_model: string;
  default_value?: string;
  created_at: string;
  updated_at: string;
}

describe(`Chatwoot custom attribute definitions (${backendName})`, () => {
  let app: TestApp;
  let cw: ContactsClient;
  let other: ContactsClient;

  beforeAll(async () => {
    app = await createTestApp();
    const account = await seedAccount(app, 'Attrs Inc');
    const otherAccount = await seedAccount(app, 'Elsewhere');
    cw = contactsClient(app, account.apiKey, account.accountId);
    other = contactsClient(app, otherAccount.apiKey, otherAccount.accountId);
  });
  afterAll(async () => {
    await app.close();
  });

  const path = '/custom_attribute_definitions';
  async function define(body: Record<string, unknown>): Promise<DefinitionJson> {
    const response = await cw.post(path, body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<DefinitionJson>();
  }
  const count = () =>
    app.parley.ctx.db.$count(
      customAttributeDefinitions,
      eq(customAttributeDefinitions.accountId, cw.accountId),
    );

  it('creates a definition from the seed payload (integer enums) in the seed shape', async () => {
    const created = await define({
      attribute_display_name: 'Plan',
      attribute_display_type: 6,
      attribute_description: 'Subscription plan',
      attribute_key: 'plan',
      attribute_values: ['gold', 'silver'],
      attribute_model: 0,
    });

    expect(created).toMatchObject({
      attribute_display_name: 'Plan',
      attribute_display_type: 'list',
      attribute_description: 'Subscription plan',
      // The seed types attribute_values as a string: the list goes out as its JSON text.
      attribute_values: '["gold","silver"]',
      attribute_model: 'conversation_attribute',
    });
    expect(JSON.parse(created.attribute_values)).toEqual(['gold', 'silver']);
    expect(created).not.toHaveProperty('regex_pattern');
    expect(created).not.toHaveProperty('regex_cue');
    expect(typeof created.id).toBe('number');
    expect(Number.isNaN(Date.parse(created.created_at))).toBe(false);
    expect(typeof created.updated_at).toBe('string');
  });

  it('accepts names for the enums and the Rails-wrapped body', async () => {
    const created = await define({
      custom_attribute_definition: {
        attribute_display_name: 'Website',
        attribute_display_type: 'link',
        attribute_key: 'website',
        attribute_model: 'contact_attribute',
      },
    });

    expect(created).toMatchObject({ attribute_display_type: 'link', attribute_model: 'contact_attribute' });
  });

  it('lists all definitions or those of one model', async () => {
    const all = (await cw.get(path)).json<DefinitionJson[]>();
    const conversation = (await cw.get(`${path}?attribute_model=0`)).json<DefinitionJson[]>();
    const contact = (await cw.get(`${path}?attribute_model=contact_attribute`)).json<DefinitionJson[]>();

    expect(all.map((item) => item.attribute_key)).toEqual(['plan', 'website']);
    expect(conversation.map((item) => item.attribute_key)).toEqual(['plan']);
    expect(contact.map((item) => item.attribute_key)).toEqual(['website']);
  });

  it('shows, updates and deletes a definition', async () => {
    const created = await define({
      attribute_display_name: 'Code',
      attribute_display_type: 0,
      attribute_key: 'code',
      attribute_model: 1,
    });

    const shown = await cw.get(`${path}/${created.id}`);
    const updated = await cw.patch(`${path}/${created.id}`, {
      attribute_display_name: 'Promo code',
      regex_pattern: '^[A-Z]+$',
      regex_cue: 'Capitals only',
    });
    const contact = await cw.post('/contacts', {
      name: 'R',
      email: 'r@example.com',
      custom_attributes: { code: 'abc' },
    });
    const deleted = await cw.delete(`${path}/${created.id}`);

    expect(shown.json<DefinitionJson>().attribute_key).toBe('code');
    expect(updated.json<DefinitionJson>()).toMatchObject({
      attribute_display_name: 'Promo code',
      regex_pattern: '^[A-Z]+$',
    });
    expect(contact.statusCode).toBe(422);
    expect(contact.json().description).toMatch(/Capitals only/);
    expect(deleted.statusCode).toBe(200);
    expect((await cw.get(`${path}/${created.id}`)).statusCode).toBe(404);
  });

  it.each([
    [
      {
        attribute_display_name: 'Plan',
        attribute_display_type: 0,
        attribute_key: 'plan',
        attribute_model: 0,
      },
      /already been taken/,
    ],
    [
      { attribute_display_name: 'Bad', attribute_display_type: 9, attribute_key: 'bad', attribute_model: 0 },
      /attribute_display_type/,
    ],
    [
      {
        attribute_display_name: 'Bad',
        attribute_display_type: 0,
        attribute_key: 'has space',
        attribute_model: 0,
      },
      /attribute_key/,
    ],
    [
      {
        attribute_display_name: 'Bad',
        attribute_display_type: 6,
        attribute_key: 'bad_list',
        attribute_model: 0,
      },
      /attribute_values/,
    ],
    [
      {
        attribute_display_name: 'Bad',
        attribute_display_type: 0,
        attribute_key: 'bad_re',
        attribute_model: 0,
        regex_pattern: '(',
      },
      /regex_pattern/,
    ],
  ])('refuses %j with 422, writing nothing', async (body, message) => {
    const before = await count();

    const response = await cw.post(path, body);

    expect(response.statusCode).toBe(422);
    expect(response.json().description).toMatch(message);
    expect(await count()).toBe(before);
  });

  it.each([
    ['number', 1, 'abc', 42],
    ['currency', 2, 'ten', '10.50'],
    ['percent', 3, true, 15],
    ['link', 4, 'not a url', 'https://example.com'],
    ['date', 5, '31/12/2026', '2026-12-31'],
    ['checkbox', 7, 'yes', false],
  ])('validates %s contact values', async (type, code, bad, good) => {
    await define({
      attribute_display_name: type,
      attribute_display_type: code,
      attribute_key: `k_${type}`,
      attribute_model: 1,
    });

    const refused = await cw.post('/contacts', { name: type, custom_attributes: { [`k_${type}`]: bad } });
    const accepted = await cw.post('/contacts', {
      name: type,
      custom_attributes: { [`k_${type}`]: good, free_key: 'anything' },
    });

    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].field).toBe(`custom_attributes.k_${type}`);
    expect(accepted.statusCode, accepted.body).toBe(200);
  });

  it('lets agents read but only administrators change definitions', async () => {
    const agent = await seedAgent(app, cw.accountId, { role: 'agent' });
    const asAgent = contactsClient(app, agent.token, cw.accountId);

    expect((await asAgent.get(path)).statusCode).toBe(200);
    const refused = await asAgent.post(path, {
      attribute_display_name: 'X',
      attribute_display_type: 0,
      attribute_key: 'x',
      attribute_model: 0,
    });
    expect(refused.statusCode).toBe(403);
  });

  it("answers 404 for another account's definition and lists only its own", async () => {
    const created = await define({
      attribute_display_name: 'Secret',
      attribute_display_type: 0,
      attribute_key: 'secret',
      attribute_model: 0,
    });

    const responses = [
      await other.get(`${path}/${created.id}`),
      await other.patch(`${path}/${created.id}`, { attribute_display_name: 'Mine' }),
      await other.delete(`${path}/${created.id}`),
    ];

    expect(responses.map((response) => response.statusCode)).toEqual([404, 404, 404]);
    expect((await other.get(path)).json()).toEqual([]);
    expect((await cw.get(`${path}/${created.id}`)).json<DefinitionJson>().attribute_display_name).toBe(
      'Secret',
    );
  });
});
