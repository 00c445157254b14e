/**
 * The rule language, as Chatwoot's AutomationRule model and AutomationRuleListener define it
 * (the seed's `automation_rule` schemas plus the model's `conditions_attributes` and
 * `actions_attributes`): events, condition attributes with their operators, and actions.
 */

/** Events a rule can run on; `conversation_opened` and `_resolved` are status changes. */
export const ruleEvents = [
  'conversation_created',
  'conversation_updated',
  'conversation_opened',
  'conversation_resolved',
  'message_created',
] as const;
export type RuleEvent = (typeof ruleEvents)[number];

// Rules compare with the same operators as Chatwoot's saved filters.
import { filterOperators, type FilterOperator } from '../filters/filter-payload.js';

export { filterOperators, type FilterOperator };

/** Operators that take no values. */
export const valuelessOperators: readonly FilterOperator[] = ['is_present', 'is_not_present'];

const equality: FilterOperator[] = ['equal_to', 'not_equal_to'];
const presence: FilterOperator[] = ['is_present', 'is_not_present'];
const text: FilterOperator[] = [...equality, 'contains', 'does_not_contain', 'starts_with'];

/** What a condition reads: the message, the conversation, or the conversation's contact. */
export type AttributeSource = 'message' | 'conversation' | 'contact';

export interface StandardAttribute {
  source: AttributeSource;
  operators: readonly FilterOperator[];
  /** When set, the only values a condition may name (compared case-insensitively). */
  allowedValues?: readonly string[];
}

export const standardAttributes: Record<string, StandardAttribute> = {
  content: { source: 'message', operators: text },
  message_type: {
    source: 'message',
    operators: equality,
    allowedValues: ['incoming', 'outgoing', 'activity', 'template'],
  },
  email: { source: 'contact', operators: [...text, ...presence] },
  phone_number: { source: 'contact', operators: [...text, ...presence] },
  country_code: { source: 'contact', operators: equality },
  city: { source: 'contact', operators: text },
  company: { source: 'contact', operators: text },
  status: {
    source: 'conversation',
    operators: equality,
    allowedValues: ['open', 'resolved', 'pending', 'snoozed', 'all'],
  },
  priority: {
    source: 'conversation',
    operators: [...equality, ...presence],
    allowedValues: ['low', 'medium', 'high', 'urgent', 'nil'],
  },
  assignee_id: { source: 'conversation', operators: [...equality, ...presence] },
  team_id: { source: 'conversation', operators: [...equality, ...presence] },
  inbox_id: { source: 'conversation', operators: equality },
  labels: { source: 'conversation', operators: [...equality, ...presence] },
  browser_language: { source: 'conversation', operators: equality },
  conversation_language: { source: 'conversation', operators: equality },
  referer: { source: 'conversation', operators: text },
  mail_subject: { source: 'conversation', operators: text },
};

/** Operators per custom attribute display type (Chatwoot's filter operators for custom attributes). */
export const customAttributeOperators: Record<string, readonly FilterOperator[]> = {
  text: [...text, ...presence],
  link: [...text, ...presence],
  number: [...equality, ...presence, 'is_greater_than', 'is_less_than'],
  currency: [...equality, ...presence, 'is_greater_than', 'is_less_than'],
  percent: [...equality, ...presence, 'is_greater_than', 'is_less_than'],
  date: [...equality, ...presence, 'is_greater_than', 'is_less_than', 'days_before'],
  list: [...equality, ...presence],
  checkbox: equality,
};

export const ruleActionNames = [
  'send_message',
  'add_private_note',
  'add_label',
  'remove_label',
  'assign_agent',
  'assign_team',
  'send_email_to_team',
  'send_email_transcript',
  'send_webhook_event',
  'send_attachment',
  'mute_conversation',
  'snooze_conversation',
  'resolve_conversation',
  'open_conversation',
  'pending_conversation',
  'change_status',
  'change_priority',
] as const;
export type RuleActionName = (typeof ruleActionNames)[number];

/** Actions that take no parameters. */
export const parameterlessActions: readonly RuleActionName[] = [
  'mute_conversation',
  'snooze_conversation',
  'resolve_conversation',
  'open_conversation',
  'pending_conversation',
];
