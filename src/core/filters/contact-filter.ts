import { eq, sql, type SQL } from 'drizzle-orm';
import { contacts } from '../contacts/contacts.tables.js';
import {
  customAttributeFilter,
  isCustomAttributeCondition,
  type CustomAttributeTypes,
} from './custom-attribute-filter.js';
import type { FilterPayload } from './filter-payload.js';
import { buildFilterWhere, operatorsByKind, type FilterAttribute } from './filter-sql.js';

const text = (
  expression: FilterAttribute['expression'],
  extra: Partial<FilterAttribute> = {},
): FilterAttribute => ({ kind: 'text', expression, operators: operatorsByKind.text, ...extra });
const additional = (key: string) => sql`(${contacts.additionalAttributes} ->> ${key})`;

/** Chatwoot's contact filter keys; company is stored as additional_attributes.company_name. */
export const contactFilterAttributes: Record<string, FilterAttribute> = {
  name: text(contacts.name),
  email: text(contacts.email, { isLowercased: true }),
  phone_number: text(contacts.phoneNumber),
  identifier: text(contacts.identifier),
  country_code: text(additional('country_code')),
  city: text(additional('city')),
  company: text(additional('company_name')),
  referer: text(additional('referer')),
  created_at: { kind: 'date', expression: contacts.createdAt, operators: operatorsByKind.date },
  last_activity_at: { kind: 'date', expression: contacts.lastActivityAt, operators: operatorsByKind.date },
  blocked: { kind: 'boolean', expression: contacts.blocked, operators: ['equal_to', 'not_equal_to'] },
  labels: { kind: 'labels', expression: contacts.labels, operators: operatorsByKind.labels },
};
const standardKeys = Object.keys(contactFilterAttributes);

/**
 * WHERE clause for the contacts table. Pass the account's contact attribute types
 * (`loadCustomAttributeTypes`) so custom attributes are typed and unknown keys refused.
 */
export function contactFilterWhere(
  accountId: number,
  payload: FilterPayload,
  customAttributeTypes?: CustomAttributeTypes,
): SQL {
  return buildFilterWhere(eq(contacts.accountId, accountId), payload, (condition, index) => {
    const standard = contactFilterAttributes[condition.attribute_key];
    if (standard && !isCustomAttributeCondition(condition, standardKeys)) return standard;
    return customAttributeFilter(contacts.customAttributes, condition, index, customAttributeTypes);
  });
}
