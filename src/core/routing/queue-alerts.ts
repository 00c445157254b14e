import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { recordEvent } from '../../platform/events/outbox.js';
import { queueThresholdAlerts, type QueueThresholdAlert } from './routing.tables.js';
import { queueThresholdCleared, queueThresholdCrossed } from './routing.events.js';

/*
 * Dixa's queue thresholds, other than SlaTimeLimit (the SLA's limit, used by analytics and by the
 * SlaPercentage alert), are alerts: a queue is in alert while the measure is past its value.
 */

/** How far back the SlaPercentage alert looks: conversations the queue handed out in the last day. */
const SLA_WINDOW_HOURS = 24;

/** Whether `value` is past `limit`: too many waiting or too long a wait; too few agents or too low an SLA. */
const isCrossed: Record<QueueThresholdAlert, (value: number, limit: number) => boolean> = {
  WaitingConversations: (value, limit) => value >= limit,
  LongestWait: (value, limit) => value >= limit,
  AvailableAgents: (value, limit) => value < limit,
  SlaPercentage: (value, limit) => value < limit,
};

type QueueMeasures = {
  id: string | number;
  uuid: string;
  name: string;
  thresholds: Record<string, number>;
  waiting: number;
  longest_wait: number;
  available: number;
  sla_percentage: number | null;
};

/**
 * Measures the account's queues that set an alert threshold (one query) and records
 * queue.threshold_crossed when one goes past its value and queue.threshold_cleared when it comes
 * back. The alert rows hold the current side, and the upsert only returns a row whose side changed,
 * so a crossing is recorded once however often it is checked, even by two checks at once.
 */
export async function checkQueueAlerts(tx: Db, accountId: number): Promise<void> {
  const queues = await queryRows<QueueMeasures>(
    tx,
    sql`SELECT q.id, q.uuid, q.name, q.queue_thresholds AS thresholds,
          (SELECT count(*)::int FROM routing_entries e
            WHERE e.account_id = q.account_id AND e.queue_id = q.id AND e.state IN ('waiting', 'offered')) AS waiting,
          coalesce((SELECT extract(epoch FROM clock_timestamp() - min(e.enqueued_at))::float8 FROM routing_entries e
            WHERE e.account_id = q.account_id AND e.queue_id = q.id AND e.state IN ('waiting', 'offered')), 0) AS longest_wait,
          (SELECT count(*)::int FROM routing_queue_members m
            JOIN account_users u ON u.account_id = m.account_id AND u.user_id = m.user_id AND u.availability = 'online'
            LEFT JOIN routing_agent_states s ON s.account_id = m.account_id AND s.user_id = m.user_id
            WHERE m.account_id = q.account_id AND m.queue_id = q.id
              AND (s.wrapup_until IS NULL OR s.wrapup_until <= clock_timestamp())) AS available,
          (SELECT 100.0 * count(*) FILTER (WHERE e.ended_at - e.enqueued_at
                    <= (q.queue_thresholds->>'SlaTimeLimit')::int * interval '1 second') / nullif(count(*), 0)
            FROM routing_entries e
            WHERE e.account_id = q.account_id AND e.queue_id = q.id AND e.state = 'assigned'
              AND e.ended_at > clock_timestamp() - ${SLA_WINDOW_HOURS}::int * interval '1 hour')::float8 AS sla_percentage
        FROM routing_queues q
        WHERE q.account_id = ${accountId} AND q.queue_thresholds ?| ${`{${queueThresholdAlerts.join(',')}}`}::text[]`,
  );
  const sides = queues.flatMap((queue) => sidesOf(queue));
  if (sides.length === 0) return;
  const changed = await queryRows<{
    queue_id: string | number;
    threshold: QueueThresholdAlert;
    is_crossed: boolean;
    inserted: boolean;
  }>(
    tx,
    sql`INSERT INTO routing_queue_alerts AS a (account_id, queue_id, threshold, is_crossed, value)
        SELECT ${accountId}, x.queue_id, x.threshold, x.is_crossed, x.value
        FROM jsonb_to_recordset(${JSON.stringify(sides)}::jsonb)
          AS x(queue_id bigint, threshold text, is_crossed boolean, value float8)
        ON CONFLICT (account_id, queue_id, threshold) DO UPDATE
          SET is_crossed = excluded.is_crossed, value = excluded.value, changed_at = now()
          WHERE a.is_crossed IS DISTINCT FROM excluded.is_crossed
        RETURNING queue_id, threshold, is_crossed, (xmax = 0) AS inserted`,
  );
  for (const row of changed) {
    // A first measure within the threshold is only the starting side, not a recovery.
    if (!row.is_crossed && row.inserted) continue;
    const queue = queues.find((candidate) => String(candidate.id) === String(row.queue_id));
    const side = sides.find(
      (candidate) => candidate.queue_id === Number(row.queue_id) && candidate.threshold === row.threshold,
    );
    if (!queue || !side) continue;
    await recordEvent(tx, row.is_crossed ? queueThresholdCrossed : queueThresholdCleared, {
      accountId,
      aggregateId: Number(queue.id),
      payload: {
        queue: { id: Number(queue.id), uuid: queue.uuid, name: queue.name },
        threshold: row.threshold,
        limit: side.limit,
        value: side.value,
      },
      actor: { type: 'system' },
    });
  }
}

function sidesOf(queue: QueueMeasures) {
  const measured: Record<QueueThresholdAlert, number | null> = {
    WaitingConversations: queue.waiting,
    LongestWait: Math.floor(queue.longest_wait),
    AvailableAgents: queue.available,
    SlaPercentage: queue.thresholds.SlaTimeLimit === undefined ? null : queue.sla_percentage,
  };
  return queueThresholdAlerts.flatMap((threshold) => {
    const limit = queue.thresholds[threshold];
    const value = measured[threshold];
    if (limit === undefined || value === null) return [];
    return [
      { queue_id: Number(queue.id), threshold, limit, value, is_crossed: isCrossed[threshold](value, limit) },
    ];
  });
}
