import type { ConversationSnapshot, MessageSnapshot } from '../conversations/conversations.events.js';
import type { RuleCondition } from './rule-definition.js';

/** What conditions are checked against: the event's snapshots, as they were when it happened. */
export interface RuleFacts {
  conversation: ConversationSnapshot;
  /** The message of a `message_created` event; null for conversation events. */
  message: MessageSnapshot | null;
}

const DAY_MS = 24 * 3600 * 1000;

function standardValue(key: string, { conversation, message }: RuleFacts): unknown {
  const contact = conversation.contact;
  const extra = conversation.additionalAttributes;
  switch (key) {
    case 'content':
      return message?.content;
    case 'message_type':
      return message?.messageType;
    case 'email':
      return contact.email;
    case 'phone_number':
      return contact.phoneNumber;
    case 'country_code':
      return contact.additionalAttributes.country_code;
    case 'city':
      return contact.additionalAttributes.city;
    case 'company':
      return contact.additionalAttributes.company_name ?? contact.additionalAttributes.company;
    case 'status':
      return conversation.status;
    case 'priority':
      return conversation.priority;
    case 'assignee_id':
      return conversation.assigneeId;
    case 'team_id':
      return conversation.teamId;
    case 'inbox_id':
      return conversation.inboxId;
    case 'labels':
      return conversation.labels;
    default:
      // browser_language, conversation_language, referer, mail_subject live in additional attributes.
      return extra[key];
  }
}

function valueOf(condition: RuleCondition, facts: RuleFacts): unknown {
  const custom = condition.customAttribute;
  if (!custom) return standardValue(condition.attributeKey, facts);
  const attributes =
    custom.model === 'contact'
      ? facts.conversation.contact.customAttributes
      : facts.conversation.customAttributes;
  return attributes[condition.attributeKey];
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  // Values come from JSON, so anything but undefined stringifies to text.
  if (value === undefined) return '';
  return JSON.stringify(value);
}

/** Lower-cased text, a list of it, or null for "nothing there". */
function normalized(value: unknown): string | string[] | null {
  if (Array.isArray(value)) return value.map((item) => text(item).toLowerCase());
  if (value === null || value === undefined || value === '') return null;
  return text(value).toLowerCase();
}

function compare(condition: RuleCondition, raw: unknown, sign: 1 | -1): boolean {
  const [limit] = condition.values;
  if (raw === null || raw === undefined || raw === '' || limit === undefined) return false;
  const isDate = condition.customAttribute?.displayType === 'date';
  const left = isDate ? Date.parse(text(raw)) : Number(raw);
  const right = isDate ? Date.parse(limit) : Number(limit);
  if (Number.isNaN(left) || Number.isNaN(right)) return false;
  return sign === 1 ? left > right : left < right;
}

function isEqual(condition: RuleCondition, value: string | string[] | null, wanted: string[]): boolean {
  if (condition.attributeKey === 'status' && wanted.includes('all')) return true;
  if (value === null) return wanted.includes('nil');
  if (Array.isArray(value)) return value.some((item) => wanted.includes(item));
  return wanted.includes(value);
}

function contains(value: string | string[] | null, wanted: string[]): boolean {
  if (value === null) return false;
  const texts = Array.isArray(value) ? value : [value];
  return texts.some((item) => wanted.some((part) => item.includes(part)));
}

/** One condition; a missing value never equals, contains or compares, and is "not equal". */
export function conditionHolds(condition: RuleCondition, facts: RuleFacts, now = Date.now()): boolean {
  const raw = valueOf(condition, facts);
  const value = normalized(raw);
  const wanted = condition.values.map((item) => item.toLowerCase());
  const isPresent = Array.isArray(value) ? value.length > 0 : value !== null;
  switch (condition.filterOperator) {
    case 'equal_to':
      return isEqual(condition, value, wanted);
    case 'not_equal_to':
      return !isEqual(condition, value, wanted);
    case 'contains':
      return contains(value, wanted);
    case 'does_not_contain':
      return !contains(value, wanted);
    case 'starts_with':
      return typeof value === 'string' && wanted.some((part) => value.startsWith(part));
    case 'is_present':
      return isPresent;
    case 'is_not_present':
      return !isPresent;
    case 'is_greater_than':
      return compare(condition, raw, 1);
    case 'is_less_than':
      return compare(condition, raw, -1);
    case 'days_before': {
      const at = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
      const days = Number(condition.values[0]);
      return !Number.isNaN(at) && Number.isFinite(days) && at <= now - days * DAY_MS;
    }
  }
}

/**
 * Chatwoot joins the conditions into one SQL WHERE clause, so AND binds tighter than OR:
 * `a AND b OR c` is `(a AND b) OR c`. Each condition's query operator joins it to the next.
 * No conditions: the rule always applies.
 */
export function conditionsHold(conditions: RuleCondition[], facts: RuleFacts, now = Date.now()): boolean {
  if (conditions.length === 0) return true;
  let groupHolds = true;
  for (const [index, condition] of conditions.entries()) {
    groupHolds = groupHolds && conditionHolds(condition, facts, now);
    const isLast = index === conditions.length - 1;
    if (isLast || condition.queryOperator === 'or') {
      if (groupHolds) return true;
      groupHolds = true;
    }
  }
  return false;
}
