/**
 * The metrics and records Parley reports, named as Dixa names its analytics (`closed_conversations`,
 * `first_response_time`, `csat`...). A metric reads one type of reporting event and, unless it
 * only counts, one value of it. Durations are reported in seconds.
 */
export const reportingEventTypes = [
  'created',
  'enqueued',
  'offered',
  'assigned',
  'first_response',
  'closed',
  'abandoned',
  'rated',
  /** An agent's reply to a contact waiting after the first response (Chatwoot's reply_time). */
  'reply',
] as const;
export type ReportingEventType = (typeof reportingEventTypes)[number];

/** Dixa's measures (AggregateMetadata.measure). Percentiles are not among them. */
export const measures = ['Min', 'Max', 'Sum', 'Count', 'Percentage', 'StdDev', 'Average'] as const;
export type Measure = (typeof measures)[number];

export const filterAttributes = ['channel', 'initial_direction', 'queue_id', 'agent_id'] as const;
export type FilterAttribute = (typeof filterAttributes)[number];

export const filterDescriptions: Record<FilterAttribute, string> = {
  channel: 'The channel of the conversation (e.g. EMAIL, WIDGET_CHAT, PSTN_PHONE)',
  initial_direction: 'Who started the conversation: INBOUND (the end user) or OUTBOUND (an agent)',
  queue_id: 'The queue the conversation was in (queue UUID)',
  agent_id: 'The agent concerned: assigned, responding, closing or rated (agent UUID)',
};

/** Which column of a reporting event a metric measures. */
/** `sla`: the wait of an assignment from a queue with an SLA time limit; a hit when within it. */
export type MetricValue = 'none' | 'duration' | 'handling' | 'score' | 'sla';

export interface MetricDefinition {
  id: string;
  description: string;
  eventType: ReportingEventType;
  value: MetricValue;
  aggregations: readonly Measure[];
  filters: readonly FilterAttribute[];
  recordId: string;
}

const countOnly = ['Count'] as const;
const durationMeasures = ['Count', 'Sum', 'Min', 'Max', 'Average', 'StdDev'] as const;
const allFilters = filterAttributes;
const withoutAgent = ['channel', 'initial_direction', 'queue_id'] as const;

export const metricCatalog: readonly MetricDefinition[] = [
  {
    id: 'abandoned_conversations',
    description: 'Conversations the end user left while waiting in a queue',
    eventType: 'abandoned',
    value: 'none',
    aggregations: countOnly,
    filters: withoutAgent,
    recordId: 'abandoned_conversations',
  },
  {
    id: 'abandoned_wait_time',
    description: 'How long end users waited in a queue before abandoning, in seconds',
    eventType: 'abandoned',
    value: 'duration',
    aggregations: durationMeasures,
    filters: withoutAgent,
    recordId: 'abandoned_conversations',
  },
  {
    id: 'assigned_conversations',
    description: 'Assignments of conversations to agents (offer accepted, claimed or assigned)',
    eventType: 'assigned',
    value: 'none',
    aggregations: countOnly,
    filters: allFilters,
    recordId: 'assigned_conversations',
  },
  {
    id: 'closed_conversations',
    description: 'Conversations closed',
    eventType: 'closed',
    value: 'none',
    aggregations: countOnly,
    filters: allFilters,
    recordId: 'closed_conversations',
  },
  {
    id: 'created_conversations',
    description: 'Conversations created',
    eventType: 'created',
    value: 'none',
    aggregations: countOnly,
    filters: ['channel', 'initial_direction'],
    recordId: 'created_conversations',
  },
  {
    id: 'csat',
    description:
      'Customer satisfaction ratings: score statistics, and Percentage = share of satisfied ratings (4 or 5 of 5, or thumbs up)',
    eventType: 'rated',
    value: 'score',
    aggregations: ['Count', 'Sum', 'Min', 'Max', 'Average', 'StdDev', 'Percentage'],
    filters: allFilters,
    recordId: 'ratings',
  },
  {
    id: 'first_response_time',
    description: 'Time from a conversation’s creation to the first agent reply to the end user, in seconds',
    eventType: 'first_response',
    value: 'duration',
    aggregations: durationMeasures,
    filters: allFilters,
    recordId: 'first_responses',
  },
  {
    id: 'handling_time',
    description: 'Time from the last assignment to the close of assigned conversations, in seconds',
    eventType: 'closed',
    value: 'handling',
    aggregations: durationMeasures,
    filters: allFilters,
    recordId: 'closed_conversations',
  },
  {
    id: 'offered_conversations',
    description: 'Offers of queued conversations to agents (one per offer, whatever the number of agents)',
    eventType: 'offered',
    value: 'none',
    aggregations: countOnly,
    filters: withoutAgent,
    recordId: 'offered_conversations',
  },
  {
    id: 'queue_sla',
    description:
      'Assignments from queues with an SLA time limit (queueThresholds.SlaTimeLimit): Percentage = share assigned within it, the wait statistics in seconds',
    eventType: 'assigned',
    value: 'sla',
    aggregations: ['Count', 'Percentage', 'Average', 'Max'],
    filters: allFilters,
    recordId: 'assigned_conversations',
  },
  {
    id: 'queue_wait_time',
    description:
      'Time a conversation waited (since it was queued, or created) before an agent got it, in seconds',
    eventType: 'assigned',
    value: 'duration',
    aggregations: durationMeasures,
    filters: allFilters,
    recordId: 'assigned_conversations',
  },
  {
    id: 'queued_conversations',
    description: 'Conversations put in a queue (including transfers to a queue)',
    eventType: 'enqueued',
    value: 'none',
    aggregations: countOnly,
    filters: withoutAgent,
    recordId: 'queued_conversations',
  },
  {
    id: 'resolution_time',
    description: 'Time from a conversation’s creation to its close, in seconds',
    eventType: 'closed',
    value: 'duration',
    aggregations: durationMeasures,
    filters: allFilters,
    recordId: 'closed_conversations',
  },
];

export function findMetric(id: string): MetricDefinition | undefined {
  return metricCatalog.find((metric) => metric.id === id);
}
