import type { ErrorDetail } from '../../platform/errors.js';
import { checkParams } from './rule-action-params.js';
import {
  filterOperators,
  parameterlessActions,
  ruleActionNames,
  ruleEvents,
  standardAttributes,
  customAttributeOperators,
  valuelessOperators,
  type FilterOperator,
  type RuleActionName,
  type RuleEvent,
} from './rule-vocabulary.js';

/** A stored condition; values are strings whatever the client sent (ids included), as the seed types them. */
export interface RuleCondition {
  attributeKey: string;
  filterOperator: FilterOperator;
  values: string[];
  /** How this condition joins the next one; the last one's is ignored. */
  queryOperator: 'and' | 'or' | null;
  /** What the client named (`conversation_attribute` / `contact_attribute`), echoed back. */
  customAttributeType?: string;
  /** For a custom attribute: resolved when the rule is saved, so evaluation needs no lookup. */
  customAttribute?: { model: 'conversation' | 'contact'; displayType: string };
}

/** `send_email_to_team`'s one parameter, as Chatwoot's UI sends it. */
export interface TeamEmailParam {
  message: string;
  teamIds: number[];
}

export interface RuleAction {
  name: RuleActionName;
  params: string[];
  /** Only for `send_email_to_team`. */
  teamEmail?: TeamEmailParam;
}

export interface ConditionInput {
  attributeKey: string;
  filterOperator: string;
  values: string[];
  queryOperator?: string | null | undefined;
  customAttributeType?: string | null | undefined;
}

export interface ActionInput {
  name: string;
  params: (string | TeamEmailParam)[];
}

/** What the account has that a rule may name: custom attributes, agents and teams. */
export interface RuleReferences {
  customAttributes: { key: string; model: 'conversation' | 'contact'; displayType: string }[];
  agentIds: Set<number>;
  teamIds: Set<number>;
}

export function isRuleEvent(name: string): name is RuleEvent {
  return (ruleEvents as readonly string[]).includes(name);
}

const isFilterOperator = (name: string): name is FilterOperator =>
  (filterOperators as readonly string[]).includes(name);

function customAttributeFor(input: ConditionInput, references: RuleReferences) {
  const model =
    input.customAttributeType === 'contact_attribute'
      ? 'contact'
      : input.customAttributeType === 'conversation_attribute'
        ? 'conversation'
        : undefined;
  const matches = references.customAttributes.filter((definition) => definition.key === input.attributeKey);
  return matches.find((definition) => model === undefined || definition.model === model);
}

/** Checks conditions as Chatwoot's model does, and more: each operator must suit its attribute. */
export function normalizeConditions(
  inputs: ConditionInput[],
  references: RuleReferences,
  errors: ErrorDetail[],
): RuleCondition[] {
  const unknown = inputs.filter(
    (input) => !standardAttributes[input.attributeKey] && !customAttributeFor(input, references),
  );
  if (unknown.length > 0) {
    const keys = unknown.map((input) => input.attributeKey).join(',');
    errors.push({ path: 'conditions', message: `Automation conditions ${keys} not supported.` });
    return [];
  }
  if (inputs.filter((input) => !input.queryOperator).length > 1) {
    errors.push({ path: 'conditions', message: 'Automation conditions should have query operator.' });
  }
  return inputs.map((input, index) => {
    const path = `conditions.${index}`;
    const queryOperator = input.queryOperator ? input.queryOperator.toLowerCase() : null;
    if (queryOperator !== null && queryOperator !== 'and' && queryOperator !== 'or') {
      errors.push({ path: `${path}.query_operator`, message: 'Query operator must be either "AND" or "OR"' });
    }
    const standard = standardAttributes[input.attributeKey];
    const custom = standard ? undefined : customAttributeFor(input, references);
    const allowed = standard?.operators ?? customAttributeOperators[custom?.displayType ?? 'text'] ?? [];
    const operator = input.filterOperator;
    if (!isFilterOperator(operator) || !allowed.includes(operator)) {
      errors.push({
        path: `${path}.filter_operator`,
        message: `${operator} is not a supported operator for ${input.attributeKey} (use ${allowed.join(', ')})`,
      });
    }
    const values = input.values.map((value) => value.trim()).filter((value) => value !== '');
    if (isFilterOperator(operator) && !valuelessOperators.includes(operator) && values.length === 0) {
      errors.push({ path: `${path}.values`, message: "can't be blank" });
    }
    const allowedValues = standard?.allowedValues;
    const stray = allowedValues ? values.filter((value) => !allowedValues.includes(value.toLowerCase())) : [];
    if (stray.length > 0) {
      errors.push({
        path: `${path}.values`,
        message: `${stray.join(', ')} is not a valid ${input.attributeKey}`,
      });
    }
    if (operator === 'is_greater_than' || operator === 'is_less_than' || operator === 'days_before') {
      const isDate = custom?.displayType === 'date' && operator !== 'days_before';
      const isValid = values.every((value) =>
        isDate ? !Number.isNaN(Date.parse(value)) : Number.isFinite(Number(value)),
      );
      if (!isValid)
        errors.push({ path: `${path}.values`, message: `must be a ${isDate ? 'date' : 'number'}` });
    }
    return {
      attributeKey: input.attributeKey,
      filterOperator: operator as FilterOperator,
      values,
      queryOperator: queryOperator as RuleCondition['queryOperator'],
      ...(input.customAttributeType ? { customAttributeType: input.customAttributeType } : {}),
      ...(custom ? { customAttribute: { model: custom.model, displayType: custom.displayType } } : {}),
    };
  });
}

const isRuleActionName = (name: string): name is RuleActionName =>
  (ruleActionNames as readonly string[]).includes(name);

export function normalizeActions(
  inputs: ActionInput[],
  references: RuleReferences,
  errors: ErrorDetail[],
): RuleAction[] {
  const unknown = inputs.filter((input) => !isRuleActionName(input.name));
  if (unknown.length > 0) {
    const names = unknown.map((input) => input.name).join(',');
    errors.push({ path: 'actions', message: `Automation actions ${names} not supported.` });
    return [];
  }
  return inputs.map((input, index) =>
    normalizeAction(input, `actions.${index}.action_params`, references, errors),
  );
}

function normalizeAction(
  input: ActionInput,
  path: string,
  references: RuleReferences,
  errors: ErrorDetail[],
): RuleAction {
  const name = input.name as RuleActionName;
  if (parameterlessActions.includes(name)) return { name, params: [] };
  if (name === 'send_email_to_team') {
    const [teamEmail] = input.params;
    if (typeof teamEmail !== 'object' || teamEmail.message.trim() === '' || teamEmail.teamIds.length === 0) {
      errors.push({ path, message: 'needs a message and team_ids' });
      return { name, params: [] };
    }
    const strays = teamEmail.teamIds.filter((id) => !references.teamIds.has(id));
    if (strays.length > 0)
      errors.push({ path, message: `team ${strays.join(', ')} does not exist in this account` });
    return { name, params: [], teamEmail };
  }
  const params = input.params.flatMap((param) =>
    typeof param === 'string' && param.trim() !== '' ? [param.trim()] : [],
  );
  const problem = checkParams(name, params, references);
  if (problem) errors.push({ path, message: problem });
  if (name === 'send_email_transcript') {
    return {
      name,
      params: params.flatMap((param) =>
        param
          .split(',')
          .map((email) => email.trim())
          .filter(Boolean),
      ),
    };
  }
  return { name, params };
}
