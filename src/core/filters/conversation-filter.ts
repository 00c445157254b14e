import { eq, sql, type SQL } from 'drizzle-orm';
import {
  conversationPriorities,
  conversations,
  conversationStatuses,
  type ConversationStatus,
} from '../conversations/conversations.tables.js';
import {
  customAttributeFilter,
  isCustomAttributeCondition,
  type CustomAttributeTypes,
} from './custom-attribute-filter.js';
import type { FilterCondition, FilterPayload } from './filter-payload.js';
import { buildFilterWhere, operatorsByKind, type FilterAttribute } from './filter-sql.js';

const displayId: FilterAttribute = {
  kind: 'number',
  expression: conversations.displayId,
  operators: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain'],
};
const additional = (key: string) => sql`(${conversations.additionalAttributes} ->> ${key})`;
const reference = (expression: FilterAttribute['expression']): FilterAttribute => ({
  kind: 'number',
  expression,
  operators: ['equal_to', 'not_equal_to', 'is_present', 'is_not_present'],
});
const text = (key: string, operators: FilterAttribute['operators']): FilterAttribute => ({
  kind: 'text',
  expression: additional(key),
  operators,
});

/** Chatwoot's conversation filter keys (filter_keys.yml), with the operators it allows on each. */
export const conversationFilterAttributes: Record<string, FilterAttribute> = {
  status: {
    kind: 'enum',
    expression: conversations.status,
    operators: ['equal_to', 'not_equal_to'],
    allowedValues: conversationStatuses,
  },
  priority: {
    kind: 'enum',
    expression: conversations.priority,
    operators: operatorsByKind.enum,
    allowedValues: conversationPriorities,
  },
  assignee_id: reference(conversations.assigneeId),
  inbox_id: reference(conversations.inboxId),
  team_id: reference(conversations.teamId),
  contact_id: reference(conversations.contactId),
  display_id: displayId,
  // Chatwoot's UI calls the display id "id" in some payloads.
  id: displayId,
  labels: { kind: 'labels', expression: conversations.labels, operators: operatorsByKind.labels },
  browser_language: text('browser_language', ['equal_to', 'not_equal_to']),
  conversation_language: text('conversation_language', ['equal_to', 'not_equal_to']),
  country_code: text('country_code', ['equal_to', 'not_equal_to']),
  referer: text('referer', ['equal_to', 'not_equal_to', 'contains', 'does_not_contain']),
  mail_subject: text('mail_subject', ['equal_to', 'not_equal_to', 'contains', 'does_not_contain']),
  created_at: { kind: 'date', expression: conversations.createdAt, operators: operatorsByKind.date },
  last_activity_at: {
    kind: 'date',
    expression: conversations.lastActivityAt,
    operators: operatorsByKind.date,
  },
};
const standardKeys = Object.keys(conversationFilterAttributes);

/**
 * WHERE clause for the conversations table. Pass the account's conversation attribute types
 * (`loadCustomAttributeTypes(db, accountId, 'conversation')`) so custom attributes are typed
 * and unknown keys refused with 422.
 */
export function conversationFilterWhere(
  accountId: number,
  payload: FilterPayload,
  customAttributeTypes?: CustomAttributeTypes,
): SQL {
  return buildFilterWhere(eq(conversations.accountId, accountId), payload, (condition, index) => {
    const standard = conversationFilterAttributes[condition.attribute_key];
    if (standard && !isCustomAttributeCondition(condition, standardKeys)) return standard;
    return customAttributeFilter(conversations.customAttributes, condition, index, customAttributeTypes);
  });
}

/** The filters a conversation list takes directly, whose counts come from the tallies. */
export interface TalliedConversationFilters {
  status?: ConversationStatus;
  inboxId?: number;
}

/** One value, the sole one of an `equal_to` on a standard attribute; undefined for anything else. */
function soleEqualValue(condition: FilterCondition): string | number | boolean | undefined {
  const isStandard = condition.attribute_model === undefined || condition.attribute_model === 'standard';
  if (!isStandard || condition.custom_attribute_type || condition.filter_operator !== 'equal_to')
    return undefined;
  return condition.values.length === 1 ? condition.values[0] : undefined;
}

/**
 * The same rows as `conversationFilterWhere`, as plain list filters, when the payload only ANDs
 * `status equal_to` one status and `inbox_id equal_to` one inbox (a dashboard's commonest filter):
 * the list's counts then come from the trigger-kept tallies instead of a scan of every matching
 * conversation. Null for any other payload, which goes through `conversationFilterWhere`.
 */
export function talliedConversationFilters(payload: FilterPayload): TalliedConversationFilters | null {
  const filters: TalliedConversationFilters = {};
  const conditions = payload.payload;
  for (const [index, condition] of conditions.entries()) {
    const isLast = index === conditions.length - 1;
    if (!isLast && condition.query_operator === 'or') return null;
    const value = soleEqualValue(condition);
    if (condition.attribute_key === 'status' && filters.status === undefined) {
      const status = conversationStatuses.find((known) => known === value);
      if (!status) return null;
      filters.status = status;
    } else if (condition.attribute_key === 'inbox_id' && filters.inboxId === undefined) {
      const inboxId = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
      if (typeof inboxId !== 'number' || !Number.isSafeInteger(inboxId)) return null;
      filters.inboxId = inboxId;
    } else {
      return null;
    }
  }
  return filters;
}
