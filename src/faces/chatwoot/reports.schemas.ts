import { z } from 'zod';
import {
  groupByValues,
  outgoingGroups,
  reportMetrics,
  reportTypes,
  reportingEventNames,
} from '../../core/reports/index.js';
import { chatwootId } from './admin-schemas.js';

/** Query and response schemas of the Chatwoot report routes, derived from the seed (`Reports`). */
const unixSeconds = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d+)?$/, 'must be a unix timestamp in seconds')
  .transform((value) => new Date(Math.floor(Number(value)) * 1000));

/** Hours from UTC, as Chatwoot's clients send it (`5.5`, `-3`); whole minutes only. */
const timezoneOffset = z.coerce
  .number()
  .min(-12)
  .max(14)
  .transform((hours) => Math.round(hours * 60) * 60);

/** Accepted for Chatwoot clients; figures are wall-clock (business hours are not kept). */
const businessHours = z.enum(['true', 'false', '1', '0']).optional();

export const rangeQuery = z.object({
  since: unixSeconds.optional(),
  until: unixSeconds.optional(),
  timezone_offset: timezoneOffset.optional(),
  business_hours: businessHours,
});

export const scopedQuery = rangeQuery.extend({
  type: z.enum(reportTypes),
  id: chatwootId.optional(),
});

export const timeseriesQuery = scopedQuery.extend({
  metric: z.enum(reportMetrics),
  group_by: z.enum(groupByValues).default('day'),
});

/** `inbox_ids[]=1&inbox_ids[]=2`, `inbox_ids=1&inbox_ids=2` or `inbox_ids=1,2`. */
const idList = z.preprocess(
  (value) =>
    value === undefined
      ? undefined
      : (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(',')).filter(Boolean),
  z.array(chatwootId).max(500).optional(),
);

export const matrixQuery = rangeQuery.extend({
  inbox_ids: idList,
  'inbox_ids[]': idList,
  label_ids: idList,
  'label_ids[]': idList,
});

export const outgoingQuery = rangeQuery.extend({ group_by: z.enum(outgoingGroups) });

export const conversationsQuery = z.object({
  type: z.enum(['account', 'agent']),
  user_id: chatwootId.optional(),
});

export const reportingEventsQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  since: unixSeconds.optional(),
  until: unixSeconds.optional(),
  inbox_id: chatwootId.optional(),
  user_id: chatwootId.optional(),
  name: z.enum(reportingEventNames).optional(),
});

/** Seed: `[{value: string, timestamp: number}]`; averages also carry Chatwoot's `count`. */
export const timeseriesResponse = z.array(
  z.object({ value: z.string(), timestamp: z.number(), count: z.number().optional() }),
);

const totalsSchema = z.object({
  avg_first_response_time: z.string().optional(),
  avg_resolution_time: z.string().optional(),
  conversations_count: z.number(),
  incoming_messages_count: z.number(),
  outgoing_messages_count: z.number(),
  resolutions_count: z.number(),
  reply_time: z.string().optional(),
});
/** Seed `account_summary`. */
export const summaryResponse = totalsSchema.extend({ previous: totalsSchema });

export const accountConversationsResponse = z.object({
  open: z.number(),
  unattended: z.number(),
  unassigned: z.number(),
});
/** Seed `agent_conversation_metrics`. */
export const agentConversationsResponse = z.array(
  z.object({
    id: z.number(),
    name: z.string(),
    email: z.string(),
    thumbnail: z.string(),
    availability: z.string(),
    metric: z.object({ open: z.number(), unattended: z.number() }),
  }),
);

/** Seed `channel_summary`. */
export const channelSummaryResponse = z.record(
  z.string(),
  z.object({
    open: z.number(),
    resolved: z.number(),
    pending: z.number(),
    snoozed: z.number(),
    total: z.number(),
  }),
);

/** Seed `inbox_summary`, `agent_summary`, `team_summary`. */
export const entitySummaryResponse = z.array(
  z.object({
    id: z.number(),
    conversations_count: z.number(),
    resolved_conversations_count: z.number(),
    avg_resolution_time: z.number().nullable(),
    avg_first_response_time: z.number().nullable(),
    avg_reply_time: z.number().nullable(),
  }),
);

/** Seed `first_response_time_distribution`. */
export const distributionResponse = z.record(
  z.string(),
  z.object({
    '0-1h': z.number(),
    '1-4h': z.number(),
    '4-8h': z.number(),
    '8-24h': z.number(),
    '24h+': z.number(),
  }),
);

/** Seed `inbox_label_matrix`. */
export const matrixResponse = z.object({
  inboxes: z.array(z.object({ id: z.number(), name: z.string() })),
  labels: z.array(z.object({ id: z.number(), title: z.string() })),
  matrix: z.array(z.array(z.number())),
});

/** Seed `outgoing_messages_count`. */
export const outgoingResponse = z.array(
  z.object({ id: z.number(), name: z.string(), outgoing_messages_count: z.number() }),
);

/** Seed `reporting_event`. */
export const reportingEventSchema = z.object({
  id: z.number(),
  name: z.string(),
  value: z.number(),
  event_start_time: z.string(),
  event_end_time: z.string(),
  account_id: z.number(),
  conversation_id: z.number().nullable(),
  inbox_id: z.number().nullable(),
  user_id: z.number().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** Seed `reporting_events_list_response`. */
export const reportingEventsResponse = z.object({
  meta: z.object({ count: z.number().int(), current_page: z.number().int(), total_pages: z.number().int() }),
  payload: z.array(reportingEventSchema),
});
