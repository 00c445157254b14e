import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';
import { seedTeam } from './conversations.test-kit.js';
import { labelAndAssignRule } from './automation-rules.test-kit.js';

describe(`Chatwoot automation rules (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };
  let teamId: number;

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'agent@acme.test' });
    teamId = await seedTeam(app, a.accountId, [agent.userId], { name: 'Billing' });
  });
  afterAll(async () => {
    await app.close();
  });

  const url = (accountId: number, id?: number) =>
    `/api/v1/accounts/${accountId}/automation_rules${id === undefined ? '' : `/${id}`}`;

  it('creates, shows, lists, updates and deletes a rule with the seed fields', async () => {
    const created = await call('POST', url(a.accountId), a.apiKey, {
      name: 'add-label-bug-if-message-contains-bug',
      description: 'Bugs go to the bug queue',
      event_name: 'message_created',
      active: true,
      conditions: [
        {
          values: ['incoming'],
          attribute_key: 'message_type',
          query_operator: 'and',
          filter_operator: 'equal_to',
        },
        { values: ['bug'], attribute_key: 'content', filter_operator: 'contains' },
      ],
      actions: [
        { action_name: 'add_label', action_params: ['bugs', 'support-query'] },
        { action_name: 'assign_team', action_params: [teamId] },
        { action_name: 'send_email_to_team', action_params: [{ message: 'Look', team_ids: [teamId] }] },
      ],
    });
    const id = created.json<{ payload: { id: number } }>().payload.id;
    const shown = await call('GET', url(a.accountId, id), a.apiKey);
    const updated = await call('PATCH', url(a.accountId, id), a.apiKey, { active: false, name: 'Renamed' });
    const listed = await call('GET', url(a.accountId), a.apiKey);
    const deleted = await call('DELETE', url(a.accountId, id), a.apiKey);
    const gone = await call('GET', url(a.accountId, id), a.apiKey);

    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({
      payload: {
        id: expect.any(Number),
        account_id: a.accountId,
        name: 'add-label-bug-if-message-contains-bug',
        description: 'Bugs go to the bug queue',
        event_name: 'message_created',
        conditions: [
          {
            values: ['incoming'],
            attribute_key: 'message_type',
            query_operator: 'and',
            filter_operator: 'equal_to',
          },
          { values: ['bug'], attribute_key: 'content', filter_operator: 'contains' },
        ],
        actions: [
          { action_name: 'add_label', action_params: ['bugs', 'support-query'] },
          { action_name: 'assign_team', action_params: [String(teamId)] },
          {
            action_name: 'send_email_to_team',
            action_params: [JSON.stringify({ message: 'Look', team_ids: [teamId] })],
          },
        ],
        created_on: expect.any(Number),
        active: true,
      },
    });
    expect(Math.abs(created.json().payload.created_on - Date.now() / 1000)).toBeLessThan(600);
    expect(shown.json()).toEqual(created.json());
    expect(updated.json().payload).toMatchObject({
      id,
      name: 'Renamed',
      active: false,
      event_name: 'message_created',
    });
    expect(listed.json().payload.map((rule: { id: number }) => rule.id)).toContain(id);
    expect(deleted.statusCode).toBe(200);
    expect(gone.statusCode).toBe(404);
    const types = await app.testDb.database.db
      .select({ type: events.type })
      .from(events)
      .where(
        and(
          eq(events.accountId, a.accountId),
          eq(events.aggregateType, 'automation_rule'),
          eq(events.aggregateId, String(id)),
        ),
      );
    expect(types.map((row) => row.type)).toEqual([
      'automation_rule.created',
      'automation_rule.updated',
      'automation_rule.deleted',
    ]);
  });

  it('takes back the JSON text of send_email_to_team it answers, so a rule round-trips', async () => {
    const created = await call('POST', url(a.accountId), a.apiKey, {
      name: 'round trip',
      event_name: 'conversation_created',
      conditions: [],
      actions: [
        { action_name: 'send_email_to_team', action_params: [{ message: 'Hi', team_ids: [teamId] }] },
      ],
    });
    const payload = created.json().payload;

    const again = await call('PATCH', url(a.accountId, payload.id), a.apiKey, { actions: payload.actions });

    expect(again.statusCode).toBe(200);
    expect(again.json().payload.actions).toEqual(payload.actions);
  });

  it('refuses unknown attributes, operators, actions, events and bad parameters with 422 and the Chatwoot body', async () => {
    const base = labelAndAssignRule({ label: 'x', agentId: agent.userId });
    const cases = [
      { ...base, conditions: [{ attribute_key: 'shoe_size', filter_operator: 'equal_to', values: ['9'] }] },
      {
        ...base,
        conditions: [{ attribute_key: 'content', filter_operator: 'is_greater_than', values: ['3'] }],
      },
      { ...base, actions: [{ action_name: 'launch_rocket', action_params: [] }] },
      { ...base, event_name: 'contact_created' },
      { ...base, actions: [{ action_name: 'send_webhook_event', action_params: ['ftp://example.com'] }] },
      { ...base, actions: [{ action_name: 'assign_agent', action_params: [999_999] }] },
      {
        ...base,
        conditions: [
          { attribute_key: 'status', filter_operator: 'equal_to', values: ['open'] },
          { attribute_key: 'priority', filter_operator: 'equal_to', values: ['high'] },
        ],
      },
      {
        ...base,
        conditions: [
          { attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: 'xor' },
        ],
      },
    ];

    const responses = await Promise.all(cases.map((body) => call('POST', url(a.accountId), a.apiKey, body)));

    const fields = responses.map((response) => {
      expect(response.statusCode).toBe(422);
      const body = response.json<{ description: string; errors: { field: string; code: string }[] }>();
      expect(body.description).toEqual(expect.any(String));
      expect(body.errors[0]?.code).toBe('validation_failed');
      return body.errors[0]?.field;
    });
    expect(fields).toEqual([
      'conditions',
      'conditions.0.filter_operator',
      'actions',
      'event_name',
      'actions.0.action_params',
      'actions.0.action_params',
      'conditions',
      'conditions.0.query_operator',
    ]);
    expect(responses[0]?.json().description).toBe('Automation conditions shoe_size not supported.');
    const missing = await call('POST', url(a.accountId), a.apiKey, { event_name: 'message_created' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].field).toBe('name');
  });

  it('accepts custom attribute conditions with the operators of their type', async () => {
    await call('POST', `/api/v1/accounts/${a.accountId}/custom_attribute_definitions`, a.apiKey, {
      attribute_display_name: 'Order total',
      attribute_key: 'order_total',
      attribute_display_type: 'number',
      attribute_model: 'conversation_attribute',
    });
    const rule = (operator: string) => ({
      name: 'big orders',
      event_name: 'conversation_updated',
      conditions: [{ attribute_key: 'order_total', filter_operator: operator, values: [100] }],
      actions: [{ action_name: 'change_priority', action_params: ['high'] }],
    });

    const ok = await call('POST', url(a.accountId), a.apiKey, rule('is_greater_than'));
    const bad = await call('POST', url(a.accountId), a.apiKey, rule('contains'));

    expect(ok.statusCode).toBe(200);
    expect(ok.json().payload.conditions[0]).toEqual({
      attribute_key: 'order_total',
      filter_operator: 'is_greater_than',
      values: ['100'],
    });
    expect(bad.statusCode).toBe(422);
  });

  it('pages the list with page', async () => {
    const fresh = await seedAccount(app, 'Pager');
    for (let index = 0; index < 3; index += 1) {
      await call('POST', url(fresh.accountId), fresh.apiKey, {
        ...labelAndAssignRule({ label: 'l', agentId: 1 }),
        actions: [],
      });
    }

    const first = await call('GET', url(fresh.accountId), fresh.apiKey);
    const second = await call('GET', `${url(fresh.accountId)}?page=2`, fresh.apiKey);

    expect(first.json().payload).toHaveLength(3);
    expect(second.json()).toEqual({ payload: [] });
  });

  it('takes an administrator: agents get 403, no token 401', async () => {
    const list = await call('GET', url(a.accountId), agent.token);
    const create = await call(
      'POST',
      url(a.accountId),
      agent.token,
      labelAndAssignRule({ label: 'x', agentId: agent.userId }),
    );
    const anonymous = await call('GET', url(a.accountId), undefined);

    expect(list.statusCode).toBe(403);
    expect(create.statusCode).toBe(403);
    expect(anonymous.statusCode).toBe(401);
  });

  it("answers 404 for another account's rule and never lists it", async () => {
    const created = await call(
      'POST',
      url(a.accountId),
      a.apiKey,
      labelAndAssignRule({ label: 'x', agentId: agent.userId }),
    );
    const id = created.json().payload.id;

    const show = await call('GET', url(b.accountId, id), b.apiKey);
    const patch = await call('PATCH', url(b.accountId, id), b.apiKey, { active: false });
    const remove = await call('DELETE', url(b.accountId, id), b.apiKey);
    const list = await call('GET', url(b.accountId), b.apiKey);
    const foreignPath = await call('GET', url(a.accountId, id), b.apiKey);
    const after = await call('GET', url(a.accountId, id), a.apiKey);

    expect(show.statusCode).toBe(404);
    expect(patch.statusCode).toBe(404);
    expect(remove.statusCode).toBe(404);
    expect(list.json().payload.some((rule: { id: number }) => rule.id === id)).toBe(false);
    expect([401, 403, 404]).toContain(foreignPath.statusCode);
    expect(after.json().payload.active).toBe(true);
  });
});
