import { sql, type SQL } from 'drizzle-orm';
import { DomainError } from '../../platform/errors.js';
import { filterAttributes, type FilterAttribute } from './metric-catalog.js';
import { channelCodeOf } from './reporting-channels.js';

export interface FilterInput {
  attribute: string;
  values?: string[] | undefined;
}

/** Filters as the reporting tables compare them; absent = not filtered. */
export interface ResolvedFilters {
  accountId: number;
  channel?: string[];
  initial_direction?: string[];
  /** Queue UUIDs, matched to internal ids inside the metric's own query. */
  queue_id?: string[];
  /** Agent UUIDs, likewise. */
  agent_id?: string[];
}

export type FilteredAttribute = Exclude<keyof ResolvedFilters, 'accountId'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isFilterAttribute(value: string): value is FilterAttribute {
  return (filterAttributes as readonly string[]).includes(value);
}

/**
 * Dixa ignores a filter that does not apply to a metric or record; an attribute it does not know
 * at all is the client's mistake. Values that name nothing (an unknown queue) match nothing.
 */
export function resolveFilters(
  accountId: number,
  filters: FilterInput[],
  relevant: readonly FilterAttribute[],
): ResolvedFilters {
  const resolved: ResolvedFilters = { accountId };
  for (const filter of filters) {
    if (!isFilterAttribute(filter.attribute)) {
      throw new DomainError('BAD_REQUEST', `filters: unknown filter attribute ${filter.attribute}`);
    }
    const values = filter.values ?? [];
    if (!relevant.includes(filter.attribute) || values.length === 0) continue;
    switch (filter.attribute) {
      case 'channel':
        resolved.channel = values.flatMap((value) => channelCodeOf(value) ?? []);
        break;
      case 'initial_direction':
        resolved.initial_direction = values.map((value) => value.toUpperCase());
        break;
      case 'queue_id':
      case 'agent_id':
        resolved[filter.attribute] = values
          .filter((value) => UUID.test(value))
          .map((value) => value.toLowerCase());
        break;
    }
  }
  return resolved;
}

export function filteredAttributes(filters: ResolvedFilters): FilteredAttribute[] {
  return (['channel', 'initial_direction', 'queue_id', 'agent_id'] as const).filter(
    (attribute) => filters[attribute] !== undefined,
  );
}

const list = (values: string[]) =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );

function condition(filters: ResolvedFilters, attribute: FilteredAttribute, values: string[]): SQL {
  if (values.length === 0) return sql`false`;
  switch (attribute) {
    case 'channel':
      return sql`channel IN (${list(values)})`;
    case 'initial_direction':
      return sql`direction IN (${list(values)})`;
    case 'queue_id':
      return sql`queue_id IN (SELECT internal_id FROM reporting_dimensions WHERE account_id = ${filters.accountId}
        AND attribute = 'queue_id' AND value IN (${list(values)}))`;
    case 'agent_id':
      return sql`agent_id IN (SELECT users.id FROM users JOIN account_users ON account_users.user_id = users.id
        AND account_users.account_id = ${filters.accountId} WHERE users.uuid IN (${sql.join(
          values.map((value) => sql`${value}::uuid`),
          sql`, `,
        )}))`;
  }
}

/** `column IN (...)` for each filter, on a table with the reporting column names. */
export function filterConditions(filters: ResolvedFilters): SQL {
  const parts = filteredAttributes(filters).map((attribute) =>
    condition(filters, attribute, filters[attribute] ?? []),
  );
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` AND `);
}
