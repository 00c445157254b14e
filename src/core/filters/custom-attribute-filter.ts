import { eq, and, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import {
  attributeDisplayTypes,
  customAttributeDefinitions,
  type AttributeDisplayType,
  type AttributeModel,
} from '../custom-attributes/custom-attributes.tables.js';
import type { FilterCondition } from './filter-payload.js';
import { invalidFilter, operatorsByKind, type AttributeKind, type FilterAttribute } from './filter-sql.js';

/** Display types of the account's custom attributes, by key, to type their filters. */
export type CustomAttributeTypes = Record<string, AttributeDisplayType>;

export async function loadCustomAttributeTypes(
  db: Db,
  accountId: number,
  model: AttributeModel,
): Promise<CustomAttributeTypes> {
  const rows = await db
    .select({
      key: customAttributeDefinitions.attributeKey,
      type: customAttributeDefinitions.attributeDisplayType,
    })
    .from(customAttributeDefinitions)
    .where(
      and(
        eq(customAttributeDefinitions.accountId, accountId),
        eq(customAttributeDefinitions.attributeModel, model),
      ),
    );
  return Object.fromEntries(rows.map((row) => [row.key, row.type]));
}

function kindOf(type: AttributeDisplayType): AttributeKind {
  switch (type) {
    case 'number':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
      return 'date';
    case 'checkbox':
      return 'boolean';
    default:
      return 'text';
  }
}

function isDisplayType(value: string | undefined): value is AttributeDisplayType {
  return (attributeDisplayTypes as readonly (string | undefined)[]).includes(value);
}

// Stored values are JSON of any shape; casts are guarded so a stray value never fails the query.
const NUMBER = '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$';
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}';

function typedExpression(column: SQLWrapper, key: string, kind: AttributeKind): SQLWrapper {
  const text = sql`(${column} ->> ${key})`;
  switch (kind) {
    case 'number':
      return sql`(CASE WHEN ${text} ~ ${NUMBER} THEN ${text}::numeric END)`;
    case 'date':
      return sql`(CASE WHEN ${text} ~ ${DATE} THEN ${text}::timestamptz END)`;
    case 'boolean':
      return sql`(CASE WHEN ${text} IN ('true', 'false') THEN ${text}::boolean END)`;
    default:
      return text;
  }
}

/**
 * A custom attribute as a filter attribute, typed by its definition. Without the account's
 * definitions (`types` undefined) the condition's `custom_attribute_type` or text is assumed.
 */
export function customAttributeFilter(
  column: SQLWrapper,
  condition: FilterCondition,
  index: number,
  types: CustomAttributeTypes | undefined,
): FilterAttribute {
  const key = condition.attribute_key;
  let type: AttributeDisplayType;
  if (types) {
    const defined = types[key];
    if (!defined) throw invalidFilter(index, 'attribute_key', `"${key}" is not a filterable attribute`);
    type = defined;
  } else {
    type = isDisplayType(condition.custom_attribute_type) ? condition.custom_attribute_type : 'text';
  }
  const kind = kindOf(type);
  return { kind, expression: typedExpression(column, key, kind), operators: operatorsByKind[kind] };
}

/** Chatwoot marks custom attributes with this model; any unknown key is one too. */
export function isCustomAttributeCondition(condition: FilterCondition, standardKeys: readonly string[]) {
  return (
    condition.attribute_model === 'customer_attributes' || !standardKeys.includes(condition.attribute_key)
  );
}
