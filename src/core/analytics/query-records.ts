import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { users } from '../identity/identity.tables.js';
import { reportingDimensions } from './analytics.tables.js';
import { filterConditions, resolveFilters, type FilterInput } from './metric-filters.js';
import type { Period } from './period.js';
import { findRecord, type RecordDefinition, type RecordFieldName } from './record-catalog.js';
import { channelLabelOf } from './reporting-channels.js';

export type RecordValue =
  | { kind: 'uuid' | 'string'; value: string; label?: string }
  | { kind: 'double' | 'int' | 'long'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'list'; values: RecordValue[] };

export interface ReportingRecord {
  timestampName: string;
  timestamp: Date;
  value?: RecordValue;
  fields: { name: RecordFieldName; value?: RecordValue }[];
}

export interface RecordCursor {
  at: string;
  id: number;
}

interface EventRecordRow extends Record<string, unknown> {
  id: string | number;
  conversation_display_id: string | number;
  channel: string;
  direction: string;
  queue_id: string | number | null;
  agent_id: string | number | null;
  agent_ids: (string | number)[] | string;
  duration_ms: string | number | null;
  handling_ms: string | number | null;
  score: number | null;
  is_positive: boolean | null;
  occurred_at: Date | string;
}

const idsOf = (value: EventRecordRow['agent_ids']): number[] =>
  (typeof value === 'string' ? value.replace(/[{}]/g, '').split(',').filter(Boolean) : value).map(Number);

async function labelsFor(db: Db, accountId: number, rows: EventRecordRow[]) {
  const queueIds = [...new Set(rows.flatMap((row) => (row.queue_id === null ? [] : [Number(row.queue_id)])))];
  const agentIds = [
    ...new Set(
      rows.flatMap((row) => [
        ...(row.agent_id === null ? [] : [Number(row.agent_id)]),
        ...idsOf(row.agent_ids),
      ]),
    ),
  ];
  const [queues, agents] = await Promise.all([
    queueIds.length === 0
      ? []
      : db
          .select({
            id: reportingDimensions.internalId,
            uuid: reportingDimensions.value,
            name: reportingDimensions.label,
          })
          .from(reportingDimensions)
          .where(
            and(
              eq(reportingDimensions.accountId, accountId),
              eq(reportingDimensions.attribute, 'queue_id'),
              inArray(reportingDimensions.internalId, queueIds),
            ),
          ),
    agentIds.length === 0
      ? []
      : db
          .select({ id: users.id, uuid: users.uuid, name: users.name, displayName: users.displayName })
          .from(users)
          .where(inArray(users.id, agentIds)),
  ]);
  return {
    queues: new Map(queues.map((queue) => [Number(queue.id), { value: queue.uuid, label: queue.name }])),
    agents: new Map(
      agents.map((agent) => [agent.id, { value: agent.uuid, label: agent.displayName ?? agent.name }]),
    ),
  };
}

type Labels = Awaited<ReturnType<typeof labelsFor>>;

function fieldValue(name: RecordFieldName, row: EventRecordRow, labels: Labels): RecordValue | undefined {
  const seconds = (ms: string | number | null) =>
    ms === null ? undefined : ({ kind: 'double', value: Number(ms) / 1000 } as const);
  const uuidOf = (entry: { value: string; label: string } | undefined) =>
    entry ? ({ kind: 'uuid', ...entry } as const) : undefined;
  switch (name) {
    case 'conversation_id':
      return { kind: 'long', value: Number(row.conversation_display_id) };
    case 'channel':
      return { kind: 'string', value: row.channel, label: channelLabelOf(row.channel) };
    case 'initial_direction':
      return { kind: 'string', value: row.direction };
    case 'queue_id':
      return uuidOf(labels.queues.get(Number(row.queue_id)));
    case 'agent_id':
      return uuidOf(labels.agents.get(Number(row.agent_id)));
    case 'agent_ids':
      return {
        kind: 'list',
        values: idsOf(row.agent_ids).flatMap((id) => uuidOf(labels.agents.get(id)) ?? []),
      };
    case 'queue_wait_time':
    case 'first_response_time':
    case 'resolution_time':
    case 'abandoned_wait_time':
      return seconds(row.duration_ms);
    case 'handling_time':
      return seconds(row.handling_ms);
    case 'rating_score':
      return row.score === null ? undefined : { kind: 'int', value: row.score };
    case 'is_satisfied':
      return row.is_positive === null ? undefined : { kind: 'boolean', value: row.is_positive };
  }
}

function toRecord(definition: RecordDefinition, row: EventRecordRow, labels: Labels): ReportingRecord {
  const value = definition.valueField ? fieldValue(definition.valueField, row, labels) : undefined;
  return {
    timestampName: definition.timestampName,
    timestamp: new Date(row.occurred_at),
    ...(value && { value }),
    fields: definition.fields.map(({ field }) => {
      const fieldContent = fieldValue(field, row, labels);
      return { name: field, ...(fieldContent && { value: fieldContent }) };
    }),
  };
}

/** One page of a record's rows over a period, oldest first, by a keyset on (time, id). */
export async function queryRecords(
  db: Db,
  query: {
    accountId: number;
    recordId: string;
    period: Period;
    filters: FilterInput[];
    limit: number;
    after?: RecordCursor | undefined;
  },
): Promise<Page<ReportingRecord, RecordCursor>> {
  const definition = findRecord(query.recordId);
  if (!definition) throw new DomainError('BAD_REQUEST', `id: unknown record ${query.recordId}`);
  const filters = resolveFilters(query.accountId, query.filters, definition.filters);
  const after = query.after
    ? sql`AND (occurred_at, id) > (${query.after.at}::timestamptz, ${query.after.id})`
    : sql``;
  const rows = await queryRows<EventRecordRow>(
    db,
    sql`SELECT id, conversation_display_id, channel, direction, queue_id, agent_id, agent_ids, duration_ms, handling_ms,
          score, is_positive, occurred_at
        FROM reporting_events
        WHERE account_id = ${query.accountId} AND type = ${definition.eventType}
          AND occurred_at >= ${query.period.start.toISOString()} AND occurred_at < ${query.period.end.toISOString()}
          AND ${filterConditions(filters)} ${after}
        ORDER BY occurred_at, id LIMIT ${query.limit + 1}`,
  );
  const page = toPage(rows, query.limit, (row) => ({
    at: new Date(row.occurred_at).toISOString(),
    id: Number(row.id),
  }));
  const labels = await labelsFor(db, query.accountId, page.items);
  return { items: page.items.map((row) => toRecord(definition, row, labels)), nextCursor: page.nextCursor };
}
