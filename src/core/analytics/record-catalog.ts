import { metricCatalog, type FilterAttribute, type ReportingEventType } from './metric-catalog.js';

/** A record field: what the reporting event row holds, as Dixa's Field types carry it. */
export type RecordFieldName =
  | 'conversation_id'
  | 'channel'
  | 'initial_direction'
  | 'queue_id'
  | 'agent_id'
  | 'agent_ids'
  | 'queue_wait_time'
  | 'first_response_time'
  | 'resolution_time'
  | 'handling_time'
  | 'abandoned_wait_time'
  | 'rating_score'
  | 'is_satisfied';

export interface RecordFieldDefinition {
  field: RecordFieldName;
  description: string;
  nullable: boolean;
}

/** The unaggregated rows behind the metrics: one per reporting event of one type. */
export interface RecordDefinition {
  id: string;
  description: string;
  eventType: ReportingEventType;
  /** The name of `primaryTimestampField`: when the event happened. */
  timestampName: string;
  /** The field that is also the record's `value`, if any. */
  valueField?: RecordFieldName;
  fields: readonly RecordFieldDefinition[];
  filters: readonly FilterAttribute[];
}

const field = (name: RecordFieldName, description: string, nullable = false): RecordFieldDefinition => ({
  field: name,
  description,
  nullable,
});

const common = [
  field('conversation_id', 'The conversation (its Dixa id)'),
  field('channel', 'The channel of the conversation'),
  field('initial_direction', 'INBOUND or OUTBOUND'),
];
const queue = field('queue_id', 'The queue (UUID)', true);
const agent = field('agent_id', 'The agent (UUID)', true);
const allFilters = ['channel', 'initial_direction', 'queue_id', 'agent_id'] as const;
const withoutAgent = ['channel', 'initial_direction', 'queue_id'] as const;

export const recordCatalog: readonly RecordDefinition[] = [
  {
    id: 'abandoned_conversations',
    description: 'One row per conversation abandoned by the end user while queued',
    eventType: 'abandoned',
    timestampName: 'abandoned_at',
    valueField: 'abandoned_wait_time',
    fields: [...common, queue, field('abandoned_wait_time', 'Seconds waited before abandoning', true)],
    filters: withoutAgent,
  },
  {
    id: 'assigned_conversations',
    description: 'One row per assignment of a conversation to an agent',
    eventType: 'assigned',
    timestampName: 'assigned_at',
    valueField: 'queue_wait_time',
    fields: [
      ...common,
      queue,
      agent,
      field('queue_wait_time', 'Seconds waited before this assignment (none for a re-assignment)', true),
    ],
    filters: allFilters,
  },
  {
    id: 'closed_conversations',
    description: 'One row per close of a conversation',
    eventType: 'closed',
    timestampName: 'closed_at',
    valueField: 'resolution_time',
    fields: [
      ...common,
      queue,
      agent,
      field('resolution_time', 'Seconds from creation to close'),
      field('handling_time', 'Seconds from the last assignment to close', true),
    ],
    filters: allFilters,
  },
  {
    id: 'created_conversations',
    description: 'One row per conversation created',
    eventType: 'created',
    timestampName: 'created_at',
    fields: common,
    filters: ['channel', 'initial_direction'],
  },
  {
    id: 'first_responses',
    description: 'One row per conversation’s first agent reply',
    eventType: 'first_response',
    timestampName: 'first_response_at',
    valueField: 'first_response_time',
    fields: [...common, queue, agent, field('first_response_time', 'Seconds from creation to the reply')],
    filters: allFilters,
  },
  {
    id: 'offered_conversations',
    description: 'One row per offer of a queued conversation',
    eventType: 'offered',
    timestampName: 'offered_at',
    fields: [...common, queue, field('agent_ids', 'The agents offered the conversation (UUIDs)')],
    filters: withoutAgent,
  },
  {
    id: 'queued_conversations',
    description: 'One row per conversation put in a queue',
    eventType: 'enqueued',
    timestampName: 'queued_at',
    fields: [...common, queue],
    filters: withoutAgent,
  },
  {
    id: 'ratings',
    description: 'One row per rating of a conversation by its end user',
    eventType: 'rated',
    timestampName: 'rated_at',
    valueField: 'rating_score',
    fields: [
      ...common,
      queue,
      agent,
      field('rating_score', 'The score given', true),
      field('is_satisfied', 'Whether the rating counts as satisfied', true),
    ],
    filters: allFilters,
  },
];

export function findRecord(id: string): RecordDefinition | undefined {
  return recordCatalog.find((record) => record.id === id);
}

export function relatedMetricIds(recordId: string): string[] {
  return metricCatalog.filter((metric) => metric.recordId === recordId).map((metric) => metric.id);
}
