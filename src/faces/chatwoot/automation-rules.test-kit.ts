import { injector, type TestApp } from '../../testing/app.js';

/** A Chatwoot automation rule body, as a client posts it. */
export type RuleBody = Record<string, unknown>;

/**
 * "An incoming message arrives → label it and assign it": the rule the end-to-end test wants.
 * `contains` narrows it to messages with that text; without it every incoming message matches.
 */
export function labelAndAssignRule(options: { label: string; agentId: number; contains?: string }): RuleBody {
  const conditions = [
    {
      attribute_key: 'message_type',
      filter_operator: 'equal_to',
      values: ['incoming'],
      query_operator: 'and',
    },
    ...(options.contains === undefined
      ? []
      : [{ attribute_key: 'content', filter_operator: 'contains', values: [options.contains] }]),
  ];
  return {
    name: `Label ${options.label} and assign`,
    description: 'Labels and assigns incoming messages',
    event_name: 'message_created',
    active: true,
    conditions,
    actions: [
      { action_name: 'add_label', action_params: [options.label] },
      { action_name: 'assign_agent', action_params: [options.agentId] },
    ],
  };
}

/**
 * Creates a rule through the Chatwoot face (an administrator's token or account API key) and
 * returns its id. The engine needs the app's background work running (`parley.startBackground()`).
 */
export async function createAutomationRule(
  app: TestApp,
  input: { accountId: number; token: string; rule: RuleBody },
): Promise<number> {
  const response = await injector(app)({
    method: 'POST',
    url: `/chatwoot/api/v1/accounts/${input.accountId}/automation_rules`,
    headers: { api_access_token: input.token },
    payload: input.rule,
  });
  if (response.statusCode !== 200)
    throw new Error(`create automation rule: ${response.statusCode} ${response.body}`);
  return response.json<{ payload: { id: number } }>().payload.id;
}
