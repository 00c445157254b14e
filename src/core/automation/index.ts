/** Automation rules: their CRUD, the rule language, and the engine's pieces. */
export {
  listRules,
  getRule,
  createRule,
  updateRule,
  deleteRule,
  type RuleInput,
  type RulePatch,
  type AutomationRuleRow,
} from './automation-rules.js';
export type {
  RuleCondition,
  RuleAction,
  TeamEmailParam,
  ConditionInput,
  ActionInput,
} from './rule-definition.js';
export { ruleEvents, ruleActionNames, filterOperators, type RuleEvent } from './rule-vocabulary.js';
export { automationWebhookTriggered } from './automation-rules.events.js';
export { AUTOMATION_WEBHOOK_FORMAT } from './rule-webhooks.js';
export { automationActor, ruleIdOfActor } from './automation-actor.js';
