import { and, not, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { DomainError } from '../../platform/errors.js';
import type { FilterCondition, FilterOperator, FilterPayload, FilterValue } from './filter-payload.js';

export type AttributeKind = 'text' | 'number' | 'date' | 'boolean' | 'labels' | 'enum';

/** How one filterable attribute reads in SQL and which operators make sense on it. */
export interface FilterAttribute {
  kind: AttributeKind;
  expression: SQLWrapper;
  operators: readonly FilterOperator[];
  /** The only values an enum accepts. */
  allowedValues?: readonly string[];
  /** Compare with lower(): the column is stored lowercase (email) and indexed that way. */
  isLowercased?: boolean;
}

export const operatorsByKind: Record<AttributeKind, readonly FilterOperator[]> = {
  text: [
    'equal_to',
    'not_equal_to',
    'contains',
    'does_not_contain',
    'starts_with',
    'is_present',
    'is_not_present',
  ],
  number: ['equal_to', 'not_equal_to', 'is_greater_than', 'is_less_than', 'is_present', 'is_not_present'],
  date: ['is_greater_than', 'is_less_than', 'days_before', 'is_present', 'is_not_present'],
  boolean: ['equal_to', 'not_equal_to', 'is_present', 'is_not_present'],
  labels: ['equal_to', 'not_equal_to', 'is_present', 'is_not_present'],
  enum: ['equal_to', 'not_equal_to', 'is_present', 'is_not_present'],
};

export function invalidFilter(index: number, field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `Invalid filter: payload[${index}].${field} ${message}`, [
    { path: `payload.${index}.${field}`, message },
  ]);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}

function list(values: readonly unknown[]): SQL {
  return sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
}

interface Context {
  index: number;
  attribute: FilterAttribute;
  condition: FilterCondition;
}

function requireValues({ index, condition }: Context): FilterValue[] {
  if (condition.values.length === 0) throw invalidFilter(index, 'values', 'must not be empty');
  return condition.values;
}

function textValues(context: Context): string[] {
  const values = requireValues(context).map(String);
  const { allowedValues } = context.attribute;
  if (allowedValues) {
    const unknown = values.find((value) => !allowedValues.includes(value));
    if (unknown !== undefined) {
      throw invalidFilter(context.index, 'values', `"${unknown}" is not one of ${allowedValues.join(', ')}`);
    }
  }
  return context.attribute.isLowercased ? values.map((value) => value.toLowerCase()) : values;
}

function numberValues(context: Context): number[] {
  return requireValues(context).map((value) => {
    const number = typeof value === 'boolean' ? Number.NaN : Number(value);
    if (value === '' || !Number.isFinite(number)) {
      throw invalidFilter(context.index, 'values', `"${String(value)}" is not a number`);
    }
    return number;
  });
}

function booleanValue(context: Context): boolean {
  const [value] = requireValues(context);
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalidFilter(context.index, 'values', 'must be true or false');
}

/** A bound instant for comparing dates; a bare day compares by whole UTC days, as Chatwoot's date cast does. */
function dateBound(context: Context, operator: 'is_greater_than' | 'is_less_than'): SQL {
  const [raw] = requireValues(context);
  const value = String(raw);
  if (Number.isNaN(Date.parse(value))) {
    throw invalidFilter(context.index, 'values', `"${value}" is not a date`);
  }
  const bound = DAY.test(value) ? new Date(`${value}T00:00:00.000Z`) : new Date(value);
  if (operator === 'is_greater_than') {
    // `>=` below, so "after this day" starts the next day and "after this instant" one step later.
    if (DAY.test(value)) bound.setUTCDate(bound.getUTCDate() + 1);
    else bound.setTime(bound.getTime() + 1);
  }
  return sql`${storableInstant(context, bound, `"${value}" is out of range`).toISOString()}::timestamptz`;
}

// Whole days a `days_before` may reach back: a century is more than any stored row's age, and the
// cutoff it gives stays a date both JavaScript and PostgreSQL can hold.
const MAX_DAYS_BEFORE = 36_500;

function daysBeforeCutoff(context: Context): SQL {
  const [raw] = requireValues(context);
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0 || days > MAX_DAYS_BEFORE) {
    throw invalidFilter(
      context.index,
      'values',
      `must be a whole number of days between 0 and ${MAX_DAYS_BEFORE}`,
    );
  }
  const today = new Date();
  const cutoff = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - days));
  return sql`${cutoff.toISOString()}::timestamptz`;
}

/**
 * The instant itself, if it lies in years 1 to 9999: beyond JavaScript's range it has no ISO form
 * (toISOString throws "Invalid time value"), and six-digit years are not PostgreSQL input.
 */
function storableInstant(context: Context, instant: Date, message: string): Date {
  const year = instant.getUTCFullYear();
  if (Number.isNaN(instant.getTime()) || year < 1 || year > 9999) {
    throw invalidFilter(context.index, 'values', message);
  }
  return instant;
}

function presence(attribute: FilterAttribute, isPresent: boolean): SQL {
  const expr = attribute.expression;
  if (attribute.kind === 'labels') {
    return isPresent ? sql`cardinality(${expr}) > 0` : sql`cardinality(${expr}) = 0`;
  }
  if (attribute.kind === 'text') {
    return isPresent ? sql`(${expr} IS NOT NULL AND ${expr} <> '')` : sql`(${expr} IS NULL OR ${expr} = '')`;
  }
  return isPresent ? sql`${expr} IS NOT NULL` : sql`${expr} IS NULL`;
}

function compared(context: Context): SQL {
  const { attribute } = context;
  const expr = attribute.isLowercased ? sql`lower(${attribute.expression})` : attribute.expression;
  switch (attribute.kind) {
    case 'labels':
      return sql`${expr} && ARRAY[${list(textValues(context))}]::text[]`;
    case 'number':
      return sql`${expr} IN (${list(numberValues(context))})`;
    case 'boolean':
      return sql`${expr} = ${booleanValue(context)}`;
    default:
      return sql`${expr} IN (${list(textValues(context))})`;
  }
}

function likeAny(context: Context, pattern: (value: string) => string): SQL {
  const expr =
    context.attribute.kind === 'text'
      ? context.attribute.expression
      : sql`${context.attribute.expression}::text`;
  const values = requireValues(context).map((value) => pattern(escapeLike(String(value))));
  return or(...values.map((value) => sql`${expr} ILIKE ${value}`)) ?? sql`false`;
}

/** One condition as SQL; values are always bound parameters. */
export function conditionSql(index: number, attribute: FilterAttribute, condition: FilterCondition): SQL {
  const operator = condition.filter_operator;
  if (!attribute.operators.includes(operator)) {
    throw invalidFilter(
      index,
      'filter_operator',
      `"${operator}" is not supported for ${condition.attribute_key} (use ${attribute.operators.join(', ')})`,
    );
  }
  const context: Context = { index, attribute, condition };
  const expr = attribute.expression;
  switch (operator) {
    case 'equal_to':
      return compared(context);
    // Rows without a value do not equal the given one, so they match "not equal" (and "does not contain").
    case 'not_equal_to':
      return sql`(${expr} IS NULL OR ${not(compared(context))})`;
    case 'contains':
      return likeAny(context, (value) => `%${value}%`);
    case 'does_not_contain':
      return sql`(${expr} IS NULL OR ${not(likeAny(context, (value) => `%${value}%`))})`;
    case 'starts_with':
      return likeAny(context, (value) => `${value}%`);
    case 'is_present':
      return presence(attribute, true);
    case 'is_not_present':
      return presence(attribute, false);
    case 'is_greater_than':
      return attribute.kind === 'date'
        ? sql`${expr} >= ${dateBound(context, operator)}`
        : sql`${expr} > ${numberValues(context)[0]}`;
    case 'is_less_than':
      return attribute.kind === 'date'
        ? sql`${expr} < ${dateBound(context, operator)}`
        : sql`${expr} < ${numberValues(context)[0]}`;
    case 'days_before':
      return sql`${expr} < ${daysBeforeCutoff(context)}`;
  }
}

/**
 * Joins conditions the way Chatwoot does: each condition's `query_operator` links it to the
 * next one and the whole string is evaluated by SQL, so AND binds tighter than OR
 * (`a AND b OR c` is `(a AND b) OR c`). The last condition's operator is ignored.
 */
export function buildFilterWhere(
  tenant: SQL,
  payload: FilterPayload,
  resolve: (condition: FilterCondition, index: number) => FilterAttribute,
): SQL {
  const groups: SQL[][] = [[]];
  payload.payload.forEach((condition, index) => {
    groups.at(-1)?.push(conditionSql(index, resolve(condition, index), condition));
    const isLast = index === payload.payload.length - 1;
    if (!isLast && condition.query_operator === 'or') groups.push([]);
  });
  const alternatives = groups.map((group) => and(...group) ?? sql`true`);
  return and(tenant, or(...alternatives)) ?? tenant;
}
