import { z } from 'zod';
import type {
  ActionInput,
  AutomationRuleRow,
  ConditionInput,
  RuleInput,
  RulePatch,
  TeamEmailParam,
} from '../../core/automation/index.js';

/**
 * The Chatwoot shapes of automation rules (seed `automation_rule_item` and
 * `automation_rule_create_update_payload`). Chatwoot's UI sends ids as numbers and
 * `send_email_to_team`'s parameter as an object; the seed types every value and parameter as a
 * string, so they are stored and answered as strings (that object as its JSON text, accepted back).
 */

const scalar = z.union([z.string().max(5000), z.number(), z.boolean()]);
/** Chatwoot's UI keeps `{id, name}` options in some values; the id is what counts. */
const valueItem = z.union([scalar, z.null(), z.object({ id: scalar }).loose()]);
const booleanish = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const conditionInput = z.object({
  attribute_key: z.string().trim().min(1).max(100),
  filter_operator: z.string().trim().min(1).max(50),
  values: z.union([z.array(valueItem).max(200), valueItem]).default([]),
  query_operator: z.string().trim().max(10).nullish(),
  custom_attribute_type: z.string().max(50).nullish(),
});

const teamEmailParam = z.object({
  message: z.string().max(20_000),
  team_ids: z.array(z.coerce.number().int().positive()).max(100),
});
const actionInput = z.object({
  action_name: z.string().trim().min(1).max(50),
  action_params: z.union([z.array(z.union([scalar, teamEmailParam])).max(200), scalar]).default([]),
});

const fields = {
  name: z.string().max(255),
  description: z.string().max(5000).nullish(),
  event_name: z.string().trim().max(50),
  active: booleanish.optional(),
  conditions: z.array(conditionInput).max(100).optional(),
  actions: z.array(actionInput).max(100).optional(),
};
export const createRuleBody = z.object(fields);
export const updateRuleBody = z.object({
  ...fields,
  name: fields.name.optional(),
  event_name: fields.event_name.optional(),
});

/** Seed `automation_rule_item`. */
export const ruleItemSchema = z.object({
  id: z.number().int(),
  account_id: z.number().int(),
  name: z.string(),
  description: z.string(),
  event_name: z.string(),
  conditions: z.array(
    z.object({
      values: z.array(z.string()),
      attribute_key: z.string(),
      query_operator: z.string().optional(),
      filter_operator: z.string(),
      custom_attribute_type: z.string().optional(),
    }),
  ),
  actions: z.array(z.object({ action_name: z.string(), action_params: z.array(z.string()) })),
  created_on: z.number().int(),
  active: z.boolean(),
});

const asText = (value: z.infer<typeof valueItem>): string[] => {
  if (value === null) return [];
  if (typeof value === 'object') return [String(value.id)];
  return [String(value)];
};

function toCondition(input: z.infer<typeof conditionInput>): ConditionInput {
  const values = Array.isArray(input.values) ? input.values : [input.values];
  return {
    attributeKey: input.attribute_key,
    filterOperator: input.filter_operator,
    values: values.flatMap(asText),
    queryOperator: input.query_operator ?? null,
    customAttributeType: input.custom_attribute_type ?? null,
  };
}

/** Accepts `send_email_to_team`'s object as Chatwoot sends it, or as the JSON text this face answers. */
function teamEmailOf(param: unknown): TeamEmailParam | null {
  let raw = param;
  if (typeof param === 'string') {
    try {
      raw = JSON.parse(param);
    } catch {
      return null;
    }
  }
  const parsed = teamEmailParam.safeParse(raw);
  return parsed.success ? { message: parsed.data.message, teamIds: parsed.data.team_ids } : null;
}

function toAction(input: z.infer<typeof actionInput>): ActionInput {
  const params = Array.isArray(input.action_params) ? input.action_params : [input.action_params];
  if (input.action_name === 'send_email_to_team') {
    return { name: input.action_name, params: params.flatMap((param) => teamEmailOf(param) ?? []) };
  }
  return {
    name: input.action_name,
    params: params.flatMap((param) => (typeof param === 'object' ? [] : [String(param)])),
  };
}

export function toRulePatch(body: z.infer<typeof updateRuleBody>): RulePatch {
  return {
    ...(body.name !== undefined && { name: body.name }),
    ...(body.description !== undefined && { description: body.description ?? '' }),
    ...(body.event_name !== undefined && { eventName: body.event_name }),
    ...(body.active !== undefined && { active: body.active }),
    ...(body.conditions !== undefined && { conditions: body.conditions.map(toCondition) }),
    ...(body.actions !== undefined && { actions: body.actions.map(toAction) }),
  };
}

export function toRuleInput(body: z.infer<typeof createRuleBody>): RuleInput {
  return { ...toRulePatch(body), name: body.name, eventName: body.event_name };
}

export function toChatwootRule(row: AutomationRuleRow): z.infer<typeof ruleItemSchema> {
  return {
    id: row.id,
    account_id: row.accountId,
    name: row.name,
    description: row.description,
    event_name: row.eventName,
    conditions: row.conditions.map((condition) => ({
      values: condition.values,
      attribute_key: condition.attributeKey,
      ...(condition.queryOperator && { query_operator: condition.queryOperator }),
      filter_operator: condition.filterOperator,
      ...(condition.customAttributeType && { custom_attribute_type: condition.customAttributeType }),
    })),
    actions: row.actions.map((action) => ({
      action_name: action.name,
      action_params: action.teamEmail
        ? [JSON.stringify({ message: action.teamEmail.message, team_ids: action.teamEmail.teamIds })]
        : action.params,
    })),
    created_on: Math.floor(row.createdAt.getTime() / 1000),
    active: row.active,
  };
}
