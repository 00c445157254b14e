import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import {
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookSubscriptions,
} from '../../core/webhooks/webhooks.tables.js';
import { CALLR_WEBHOOK_FORMAT } from '../../core/webhooks/subscription-sources.js';
import { callrDateTimeMs } from './formats.js';
import { encodeHash } from './hash-ids.js';
import { callrBodyForAttempt } from './webhook-format.js';
import { callrEventId } from './webhook-render.js';

/**
 * One push attempt, as `webhooks/log.search` lists it. The seed names only the search filters
 * (`Webhook.Log.Search.Filters`), not the entries: an entry carries those same fields, then what
 * the attempt did (when, how long, the receiver's answer or the error, the exact payload sent).
 */
export interface CallrWebhookLogEntry {
  /** "" for a dynamic webhook's push. */
  hook_hash: string;
  type: string;
  endpoint: string;
  event_id: string;
  /** When the event was first queued for this webhook (the delivery's creation), datetime_ms. */
  event_date: string;
  try: number;
  /** The receiver's HTTP status as a string, "" when none came (timeout, refused connection). */
  http_code: string;
  status: CallrLogStatus;
  attempted_at: string;
  duration_ms: number;
  error: string;
  response: string;
  payload: string;
}

/** SUCCESS: a 2xx answer; ERROR: anything else (an error status, a timeout, a network failure). */
export const callrLogStatuses = ['SUCCESS', 'ERROR'] as const;
export type CallrLogStatus = (typeof callrLogStatuses)[number];

export interface CallrLogFilters {
  subscriptionId?: number | undefined;
  type?: string | undefined;
  endpoint?: string | undefined;
  /** The outbox event id behind a CALLR event id. */
  eventRowId?: number | undefined;
  /** Start of the UTC day the event was queued. */
  eventDay?: Date | undefined;
  httpCode?: number | undefined;
  status?: CallrLogStatus | undefined;
  /** CALLR's try (0 for the first attempt). */
  try?: number | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const code = webhookDeliveryAttempts.statusCode;
// A missing status code (no answer) is no success, hence the coalesce.
const succeeded = sql<boolean>`coalesce(${code} between 200 and 299, false)`;

function statusCondition(status: CallrLogStatus | undefined): SQL | undefined {
  if (status === undefined) return undefined;
  return status === 'SUCCESS' ? sql`${succeeded}` : sql`not ${succeeded}`;
}

/**
 * The account's CALLR push attempts, newest first: one query joining attempts to their delivery
 * and webhook, so a page costs the same whatever its size.
 */
export async function searchCallrWebhookLog(
  db: Db,
  options: { accountId: number; filters: CallrLogFilters; offset: number; limit: number },
): Promise<CallrWebhookLogEntry[]> {
  const { accountId, filters } = options;
  const rows = await db
    .select({
      attempt: webhookDeliveryAttempts,
      subscriptionId: webhookDeliveries.subscriptionId,
      eventId: webhookDeliveries.eventId,
      eventType: webhookDeliveries.eventType,
      body: webhookDeliveries.body,
      queuedAt: webhookDeliveries.createdAt,
      endpoint: webhookSubscriptions.url,
      isDynamic: sql<boolean>`coalesce((${webhookSubscriptions.options} ->> 'dynamic')::boolean, false)`,
      succeeded,
    })
    .from(webhookDeliveryAttempts)
    .innerJoin(
      webhookDeliveries,
      and(
        eq(webhookDeliveries.accountId, webhookDeliveryAttempts.accountId),
        eq(webhookDeliveries.id, webhookDeliveryAttempts.deliveryId),
      ),
    )
    .innerJoin(
      webhookSubscriptions,
      and(
        eq(webhookSubscriptions.accountId, webhookDeliveries.accountId),
        eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId),
      ),
    )
    .where(
      and(
        eq(webhookDeliveryAttempts.accountId, accountId),
        eq(webhookSubscriptions.format, CALLR_WEBHOOK_FORMAT),
        filters.subscriptionId === undefined
          ? undefined
          : eq(webhookDeliveries.subscriptionId, filters.subscriptionId),
        filters.type === undefined ? undefined : eq(webhookDeliveries.eventType, filters.type),
        filters.endpoint === undefined ? undefined : eq(webhookSubscriptions.url, filters.endpoint),
        filters.eventRowId === undefined ? undefined : eq(webhookDeliveries.eventId, filters.eventRowId),
        filters.eventDay === undefined
          ? undefined
          : and(
              gte(webhookDeliveries.createdAt, filters.eventDay),
              lt(webhookDeliveries.createdAt, new Date(filters.eventDay.getTime() + DAY_MS)),
            ),
        filters.httpCode === undefined ? undefined : eq(code, filters.httpCode),
        statusCondition(filters.status),
        filters.try === undefined ? undefined : eq(webhookDeliveryAttempts.attempt, filters.try + 1),
      ),
    )
    .orderBy(
      desc(webhookDeliveryAttempts.attemptedAt),
      desc(webhookDeliveryAttempts.deliveryId),
      desc(webhookDeliveryAttempts.attempt),
    )
    .offset(options.offset)
    .limit(options.limit);
  return rows.map((row) => ({
    // A dynamic webhook (SMS.Options.webhook) has no hash: its pushes carry hook_hash null.
    hook_hash: row.isDynamic ? '' : encodeHash('webhook', row.subscriptionId),
    type: row.eventType,
    endpoint: row.endpoint,
    event_id: row.eventId === null ? '' : callrEventId({ id: row.eventId, accountId }),
    event_date: callrDateTimeMs(row.queuedAt),
    try: row.attempt.attempt - 1,
    http_code: row.attempt.statusCode === null ? '' : String(row.attempt.statusCode),
    status: row.succeeded ? 'SUCCESS' : 'ERROR',
    attempted_at: callrDateTimeMs(row.attempt.attemptedAt),
    duration_ms: row.attempt.latencyMs,
    error: row.attempt.error ?? '',
    response: row.attempt.responseSnippet ?? '',
    payload: callrBodyForAttempt(row.body, row.attempt.attempt),
  }));
}
