import { and, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import { callerTypes, campaignContacts as cc, exclusionCauses, wrapupStatuses } from './campaigns.tables.js';
import { isoDateTimeInput } from './contact-input.js';
import { phoneDigits } from './campaign-contact-phones.js';

export const customFieldOperators = [
  'eq',
  'notEq',
  'lt',
  'lte',
  'gt',
  'gte',
  'startsWith',
  'endsWith',
  'notStartswith',
  'notEndswith',
  'contains',
  'like',
  'notContains',
] as const;
export type CustomFieldOperator = (typeof customFieldOperators)[number];

/** The seed spells `notStartswith` but `startsWith`: any casing of a known name is accepted. */
const operatorInput = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? (customFieldOperators.find((name) => name.toLowerCase() === value.toLowerCase()) ?? value)
      : value,
  z.enum(customFieldOperators),
);

const customFieldCondition = z
  .object({
    customFieldName: z.string().trim().min(1).max(100),
    condition: operatorInput,
    value: z.string().max(4_000).nullable().optional(),
  })
  .refine((item) => (item.value ?? null) !== null || item.condition === 'eq' || item.condition === 'notEq', {
    message: 'null is a value only for eq and notEq',
    path: ['value'],
  });
export type CustomFieldCondition = z.infer<typeof customFieldCondition>;

const id = z.int().positive().max(Number.MAX_SAFE_INTEGER);
const int32 = z.int().min(-2_147_483_648).max(2_147_483_647);
/** "Null as filter": `null` (or a null element) matches contacts where the field is not set. */
const idsOrNull = z.array(id.nullable()).max(500).nullable().optional();
const intsOrNull = z.array(int32.nullable()).max(500).nullable().optional();
/** A filter the seed does not allow null for: null is read as "no filter". */
const date = isoDateTimeInput.nullish();
const day = z.union([z.iso.date(), isoDateTimeInput]).nullish();

export const wrapupStatusFilters = ['new_contact', ...wrapupStatuses, 'canceled'] as const;

/**
 * The seed's search `query` (also the batch update/delete filter). Unknown keys are dropped, as
 * Diabolocom silently discards misspelled fields.
 */
export const contactFilterSchema = z.object({
  assignedAgentIds: idsOrNull,
  assignedGroupIds: idsOrNull,
  assignedAgentExpirationTimeBefore: date,
  assignedAgentExpirationTimeAfter: date,
  assignedGroupExpirationTimeBefore: date,
  assignedGroupExpirationTimeAfter: date,
  contactIds: z.array(id).max(10_000).nullish(),
  createdAfter: date,
  createdBefore: date,
  customFieldConditions: z.array(customFieldCondition).max(500).nullish(),
  excluded: z.boolean().nullish(),
  excludedCause: z.enum(exclusionCauses).nullish(),
  agentIds: idsOrNull,
  lastCallAfter: date,
  lastCallBefore: date,
  lastAgentIds: idsOrNull,
  lastCallerType: z.enum(callerTypes).nullable().optional(),
  lastWrapupIds: idsOrNull,
  maxPriority: int32.nullish(),
  maxTries: int32.nullish(),
  minPriority: int32.nullish(),
  minTries: int32.nullish(),
  phones: z.array(z.string().trim().min(1).max(32)).max(500).nullish(),
  minCallingDateTimeBefore: date,
  minCallingDateTimeAfter: date,
  maxCallingDateTimeBefore: date,
  maxCallingDateTimeAfter: date,
  retryAfter: date,
  retryBefore: date,
  retryIsNull: z.boolean().nullish(),
  updateAfter: date,
  updateBefore: date,
  wrapupStatuses: z.array(z.enum(wrapupStatusFilters).nullable()).max(500).nullable().optional(),
  regions: intsOrNull,
  // Named by the seed's update-batch filter list only.
  purgeDateBefore: day,
  purgeDateAfter: day,
});
export type ContactFilter = z.infer<typeof contactFilterSchema>;

const list = (values: readonly (number | string)[]) =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );

/** `column IN (…)`, with a `null` (field or element) also matching IS NULL. */
function inOrNull(
  column: SQLWrapper,
  values: readonly (number | null)[] | null | undefined,
): SQL | undefined {
  if (values === undefined) return undefined;
  if (values === null) return sql`${column} IS NULL`;
  if (values.length === 0) return undefined;
  const present = values.filter((value): value is number => value !== null);
  const parts: SQL[] = [];
  if (present.length > 0) parts.push(sql`${column} IN (${list(present)})`);
  if (present.length < values.length) parts.push(sql`${column} IS NULL`);
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}

/** "After" is inclusive and "before" exclusive: consecutive ranges neither overlap nor leave gaps. */
function range(
  column: SQLWrapper,
  after: string | null | undefined,
  before: string | null | undefined,
): SQL[] {
  const parts: SQL[] = [];
  if (after) parts.push(sql`${column} >= ${after}::timestamptz`);
  if (before) parts.push(sql`${column} < ${before}::timestamptz`);
  return parts;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, '\\$&');

/**
 * What keeps a pattern from being looked up verbatim in the fields' JSON text: characters JSON
 * writes escaped, and LIKE's own escapes.
 */
// eslint-disable-next-line no-control-regex
const NOT_VERBATIM = /["\\\u0000-\u001f]/;
/** Three literal characters in a row: a trigram the index can look up. */
const TRIGRAM = /[^%_]{3}/;

/**
 * A necessary condition for a text operator, which the trigram index on the custom fields' JSON
 * text (campaign_contacts_custom_fields_trgm_idx) answers: a value matching `pattern` (LIKE syntax)
 * appears in that text. Undefined when the index could not help.
 */
function trigramPrefilter(pattern: string, operator: 'LIKE' | 'ILIKE'): SQL | undefined {
  if (NOT_VERBATIM.test(pattern) || !TRIGRAM.test(pattern)) return undefined;
  // The value is only part of the text, and one of its characters may be several there.
  const loose = `%${pattern.replace(/_/g, '%')}%`;
  return sql`${cc.customFields}::text ${sql.raw(operator)} ${loose}`;
}

const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;
const NUMBER_SQL = sql.raw(`'^\\s*-?\\d+(\\.\\d+)?\\s*$'`);

/**
 * One custom field condition. `eq` uses the GIN index (jsonb containment). Comparisons are
 * numeric when the value is a number (fields that are not numbers then never match), text
 * (byte order) otherwise. Text operators are case-sensitive, except `like`: a case-insensitive
 * pattern where `%` / `*` match any run of characters and `_` one character. "Not" operators
 * and `notEq` also match contacts that lack the field; `eq null` matches a missing or empty field.
 */
export function customFieldConditionSql(condition: CustomFieldCondition): SQL {
  const name = condition.customFieldName;
  const field = sql`(${cc.customFields} ->> ${name})`;
  const value = condition.value ?? null;
  if (value === null) {
    return condition.condition === 'eq'
      ? sql`coalesce(${field}, '') = ''`
      : sql`coalesce(${field}, '') <> ''`;
  }
  const containment = sql`${cc.customFields} @> ${JSON.stringify({ [name]: value })}::jsonb`;
  const compare = (operator: string) =>
    NUMBER.test(value)
      ? sql`(${field} ~ ${NUMBER_SQL} AND ${field}::numeric ${sql.raw(operator)} ${value}::numeric)`
      : sql`${field} COLLATE "C" ${sql.raw(operator)} ${value}`;
  const escaped = escapeLike(value);
  switch (condition.condition) {
    case 'eq':
      return containment;
    case 'notEq':
      return sql`NOT (${containment})`;
    case 'lt':
      return compare('<');
    case 'lte':
      return compare('<=');
    case 'gt':
      return compare('>');
    case 'gte':
      return compare('>=');
    case 'startsWith':
      return textMatch(field, `${escaped}%`, 'LIKE');
    case 'endsWith':
      return textMatch(field, `%${escaped}`, 'LIKE');
    case 'contains':
      return textMatch(field, `%${escaped}%`, 'LIKE');
    case 'notStartswith':
      return sql`coalesce(${field}, '') NOT LIKE ${`${escaped}%`}`;
    case 'notEndswith':
      return sql`coalesce(${field}, '') NOT LIKE ${`%${escaped}`}`;
    case 'notContains':
      return sql`coalesce(${field}, '') NOT LIKE ${`%${escaped}%`}`;
    case 'like':
      return textMatch(field, value.replace(/\*/g, '%'), 'ILIKE');
  }
}

/** `field LIKE pattern`, with the trigram index's necessary condition beside it when it helps. */
function textMatch(field: SQL, pattern: string, operator: 'LIKE' | 'ILIKE'): SQL {
  const match = sql`${field} ${sql.raw(operator)} ${pattern}`;
  const prefilter = trigramPrefilter(pattern, operator);
  return prefilter ? sql`(${prefilter} AND ${match})` : match;
}

/**
 * Wrap-up statuses: `new_contact` (and `null`) = never wrapped up; `canceled` = taken out of
 * the campaign by a person (excluded manually, by an agent or by an administrator) — Parley has
 * no canceled wrap-up, and that is what stops a contact's processing short of a result.
 */
function wrapupStatusSql(values: ContactFilter['wrapupStatuses']): SQL | undefined {
  if (values === undefined) return undefined;
  if (values === null) return sql`${cc.wrapupStatus} IS NULL`;
  if (values.length === 0) return undefined;
  const parts: SQL[] = [];
  const statuses = values.filter(
    (value) => value !== null && value !== 'new_contact' && value !== 'canceled',
  );
  if (statuses.length > 0) parts.push(sql`${cc.wrapupStatus} IN (${list(statuses)})`);
  if (values.some((value) => value === null || value === 'new_contact'))
    parts.push(sql`${cc.wrapupStatus} IS NULL`);
  if (values.includes('canceled')) {
    parts.push(
      sql`(${cc.excluded} AND ${cc.excludedDetail} IN ('manual', 'manualByAgent', 'excludedByAdmin'))`,
    );
  }
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}

/**
 * The filter as a WHERE fragment over `campaign_contacts` (the caller adds account and campaign).
 * No filter at all is `true`: every contact matches.
 */
export function contactFilterSql(filter: ContactFilter): SQL {
  const parts: (SQL | undefined)[] = [
    inOrNull(cc.assignedAgentId, filter.assignedAgentIds),
    inOrNull(cc.assignedGroupId, filter.assignedGroupIds),
    ...range(
      cc.assignedAgentExpiresAt,
      filter.assignedAgentExpirationTimeAfter,
      filter.assignedAgentExpirationTimeBefore,
    ),
    ...range(
      cc.assignedGroupExpiresAt,
      filter.assignedGroupExpirationTimeAfter,
      filter.assignedGroupExpirationTimeBefore,
    ),
    filter.contactIds?.length ? sql`${cc.contactNumber} IN (${list(filter.contactIds)})` : undefined,
    ...range(cc.createdAt, filter.createdAfter, filter.createdBefore),
    ...(filter.customFieldConditions ?? []).map(customFieldConditionSql),
    typeof filter.excluded === 'boolean' ? sql`${cc.excluded} = ${filter.excluded}` : undefined,
    filter.excludedCause
      ? sql`(${cc.excluded} AND ${cc.excludedDetail} = ${filter.excludedCause})`
      : undefined,
    inOrNull(cc.agentId, filter.agentIds),
    ...range(cc.lastCallAt, filter.lastCallAfter, filter.lastCallBefore),
    inOrNull(cc.lastAgentId, filter.lastAgentIds),
    filter.lastCallerType === null
      ? sql`${cc.lastCallerType} IS NULL`
      : filter.lastCallerType
        ? sql`${cc.lastCallerType} = ${filter.lastCallerType}`
        : undefined,
    inOrNull(cc.wrapupId, filter.lastWrapupIds),
    typeof filter.maxPriority === 'number' ? sql`${cc.priority} <= ${filter.maxPriority}` : undefined,
    typeof filter.minPriority === 'number' ? sql`${cc.priority} >= ${filter.minPriority}` : undefined,
    typeof filter.maxTries === 'number' ? sql`${cc.triesNumber} <= ${filter.maxTries}` : undefined,
    typeof filter.minTries === 'number' ? sql`${cc.triesNumber} >= ${filter.minTries}` : undefined,
    filter.phones?.length
      ? sql`${cc.phoneNumbers} && ARRAY[${list(filter.phones.map(phoneDigits))}]::text[]`
      : undefined,
    ...range(cc.minCallingAt, filter.minCallingDateTimeAfter, filter.minCallingDateTimeBefore),
    ...range(cc.maxCallingAt, filter.maxCallingDateTimeAfter, filter.maxCallingDateTimeBefore),
    ...range(cc.retryAt, filter.retryAfter, filter.retryBefore),
    filter.retryIsNull === true ? sql`${cc.retryAt} IS NULL` : undefined,
    filter.retryIsNull === false ? sql`${cc.retryAt} IS NOT NULL` : undefined,
    ...range(cc.updatedAt, filter.updateAfter, filter.updateBefore),
    wrapupStatusSql(filter.wrapupStatuses),
    inOrNull(cc.region, filter.regions),
    filter.purgeDateAfter ? sql`${cc.purgeDate} >= ${filter.purgeDateAfter.slice(0, 10)}::date` : undefined,
    filter.purgeDateBefore ? sql`${cc.purgeDate} < ${filter.purgeDateBefore.slice(0, 10)}::date` : undefined,
  ];
  return and(...parts) ?? sql`true`;
}
