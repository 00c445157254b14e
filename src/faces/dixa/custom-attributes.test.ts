import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createDefinition } from '../../core/custom-attributes/custom-attribute-definitions.js';
import type { CustomAttributeDefinitionRow } from '../../core/custom-attributes/custom-attributes.tables.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import { contactEvents, createEndUserVia, expectSeedEndUser } from './endusers.test-kit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe(`Dixa custom attributes: definitions and end-user values (${backendName})`, () => {
  let app: TestApp;
  let org: DixaTestOrg;
  let other: DixaTestOrg;
  let plan: CustomAttributeDefinitionRow;
  let orderRef: CustomAttributeDefinitionRow;
  let seats: CustomAttributeDefinitionRow;
  let vip: CustomAttributeDefinitionRow;
  let topic: CustomAttributeDefinitionRow;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    org = await created.organization('Attributes');
    other = await created.organization('Other attributes');
    const db = app.parley.ctx.db;
    const define = (input: Parameters<typeof createDefinition>[2]) =>
      createDefinition(db, org.accountId, input, undefined);
    orderRef = await define({
      attributeModel: 'contact',
      attributeKey: 'order_ref',
      attributeDisplayName: 'Order reference',
      attributeDisplayType: 'text',
      attributeDescription: 'Their last order',
      regexPattern: '^[0-9]+$',
      regexCue: 'digits only',
    });
    plan = await define({
      attributeModel: 'contact',
      attributeKey: 'plan',
      attributeDisplayName: 'Plan',
      attributeDisplayType: 'list',
      attributeValues: ['free', 'pro'],
    });
    seats = await define({
      attributeModel: 'contact',
      attributeKey: 'seats',
      attributeDisplayName: 'Seats',
      attributeDisplayType: 'number',
    });
    vip = await define({
      attributeModel: 'contact',
      attributeKey: 'vip',
      attributeDisplayName: 'VIP',
      attributeDisplayType: 'checkbox',
    });
    topic = await define({
      attributeModel: 'conversation',
      attributeKey: 'topic',
      attributeDisplayName: 'Topic',
      attributeDisplayType: 'text',
    });
    await createDefinition(
      db,
      other.accountId,
      {
        attributeModel: 'contact',
        attributeKey: 'theirs',
        attributeDisplayName: 'Theirs',
        attributeDisplayType: 'text',
      },
      undefined,
    );
  });
  afterAll(() => app.close());

  it('lists the definitions in the seed shape: Text and Select input definitions, Contact and Conversation entities', async () => {
    const response = await org.call('GET', '/v1/custom-attributes');

    expect(response.statusCode).toBe(200);
    const definitions = response.json().data;
    expect(definitions.map((definition: { identifier: string }) => definition.identifier)).toEqual([
      'order_ref',
      'plan',
      'seats',
      'vip',
      'topic',
    ]);
    expect(definitions[0]).toEqual({
      id: orderRef.uuid,
      entityType: 'Contact',
      identifier: 'order_ref',
      label: 'Order reference',
      description: 'Their last order',
      inputDefinition: { _type: 'Text' },
      createdAt: orderRef.createdAt.toISOString(),
      updatedAt: orderRef.updatedAt.toISOString(),
      isRequired: false,
      isArchived: false,
      isDeactivated: false,
    });
    const options = definitions[1].inputDefinition.options;
    expect(definitions[1].inputDefinition._type).toBe('Select');
    expect(options.map((option: { value: string }) => option.value)).toEqual(['free', 'pro']);
    for (const option of options)
      expect(option).toEqual({
        id: expect.stringMatching(UUID),
        label: option.value,
        value: option.value,
        isDeactivated: false,
      });
    expect(new Set(options.map((option: { id: string }) => option.id)).size).toBe(2);
    expect(definitions[2].inputDefinition).toEqual({
      _type: 'Text',
      placeholder: expect.stringMatching(/number/i),
    });
    expect(definitions[3].inputDefinition.options.map((option: { value: string }) => option.value)).toEqual([
      'true',
      'false',
    ]);
    expect(definitions[4]).toMatchObject({ id: topic.uuid, entityType: 'Conversation' });
    expect(JSON.stringify(definitions)).not.toContain('null');
    const again = await org.call('GET', '/v1/custom-attributes');
    expect(again.json().data[1].inputDefinition.options).toEqual(options);
  });

  it('shows an organization only its own definitions', async () => {
    const response = await other.call('GET', '/v1/custom-attributes');

    expect(response.json().data.map((definition: { identifier: string }) => definition.identifier)).toEqual([
      'theirs',
    ]);
  });

  it('sets values by definition id, answers every current attribute, and shows them on the end user', async () => {
    const endUser = await createEndUserVia(org, { displayName: 'Attributed' });

    const response = await org.call('PATCH', `/v1/endusers/${endUser.id}/custom-attributes`, {
      [orderRef.uuid]: '012345',
      [plan.uuid]: ['pro'],
      [seats.uuid]: '12',
      [vip.uuid.toUpperCase()]: ['true'],
    });
    const fetched = await org.call('GET', `/v1/endusers/${endUser.id}`);

    expect(response.statusCode).toBe(200);
    const expected = [
      { id: orderRef.uuid, name: 'Order reference', identifier: 'order_ref', value: '012345' },
      { id: plan.uuid, name: 'Plan', identifier: 'plan', value: ['pro'] },
      { id: seats.uuid, name: 'Seats', identifier: 'seats', value: '12' },
      { id: vip.uuid, name: 'VIP', identifier: 'vip', value: ['true'] },
    ];
    expect(response.json()).toEqual({ data: expected });
    expectSeedEndUser(fetched.json().data);
    expect(fetched.json().data.customAttributes).toEqual(expected);
    const stored = (await contactEvents(app, org.accountId)).at(-1);
    expect(stored?.type).toBe('contact.updated');
    expect(stored?.payload).toMatchObject({
      contact: { customAttributes: { order_ref: '012345', plan: 'pro', seats: 12, vip: true } },
      changes: {
        customAttributes: { from: {}, to: { order_ref: '012345', plan: 'pro', seats: 12, vip: true } },
      },
    });
  });

  it('keeps the attributes a patch does not name, and removes one patched to null', async () => {
    const endUser = await createEndUserVia(org, { displayName: 'Removing' });
    await org.call('PATCH', `/v1/endusers/${endUser.id}/custom-attributes`, {
      [orderRef.uuid]: '1',
      [plan.uuid]: ['free'],
    });

    const response = await org.call('PATCH', `/v1/endusers/${endUser.id}/custom-attributes`, {
      [orderRef.uuid]: null,
    });
    const unchanged = await org.call('PATCH', `/v1/endusers/${endUser.id}/custom-attributes`, {});

    expect(response.json().data).toEqual([
      { id: plan.uuid, name: 'Plan', identifier: 'plan', value: ['free'] },
    ]);
    expect(unchanged.statusCode).toBe(200);
    expect(unchanged.json().data).toEqual(response.json().data);
  });

  it('refuses values that do not fit their definition, and ids that are not a contact definition of the organization, with 400', async () => {
    const endUser = await createEndUserVia(org, { displayName: 'Refused' });
    const theirs = (await other.call('GET', '/v1/custom-attributes')).json().data[0].id as string;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ [plan.uuid]: ['enterprise'] }, /plan must be one of/],
      [{ [plan.uuid]: ['free', 'pro'] }, /exactly one option/],
      [{ [orderRef.uuid]: 'abc' }, /digits only/],
      [{ [orderRef.uuid]: ['1'] }, /not a list/],
      [{ [seats.uuid]: 'many' }, /number/],
      [{ [vip.uuid]: ['maybe'] }, /true/],
      [{ [topic.uuid]: 'billing' }, /custom attribute/],
      [{ [theirs]: 'x' }, /custom attribute/],
      [{ 'not-a-uuid': 'x' }, /UUID/],
      [{ [orderRef.uuid]: 5 }, /.+/],
    ];
    for (const [body, message] of cases) {
      const response = await org.call('PATCH', `/v1/endusers/${endUser.id}/custom-attributes`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toEqual({ message: expect.stringMatching(message) });
    }
    const after = await org.call('GET', `/v1/endusers/${endUser.id}`);
    expect(after.json().data.customAttributes).toEqual([]);
  });

  it("answers 404 for another organization's end user and for an unknown one", async () => {
    const endUser = await createEndUserVia(org, { displayName: 'Mine' });

    const foreign = await other.call('PATCH', `/v1/endusers/${endUser.id}/custom-attributes`, {
      [orderRef.uuid]: '1',
    });
    const unknown = await org.call(
      'PATCH',
      '/v1/endusers/00000000-0000-4000-8000-000000000000/custom-attributes',
      {},
    );

    expect(foreign.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
  });
});
