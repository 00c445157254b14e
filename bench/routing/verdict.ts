import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/platform/db/database.js';

export interface RoutingFigures {
  conversations: number;
  entries: number;
  assigned: number;
  abandoned: number;
  offers: number;
  expiredOffers: number;
  offersPerSecond: number;
  /** Enqueue → first offer, real milliseconds. */
  offerLatencyP50Ms: number;
  offerLatencyP99Ms: number;
  /** Longest enqueue → assignment, real milliseconds (multiply by the speed-up for simulated time). */
  longestWaitMs: number;
  longestAbandonedWaitMs: number;
}

export interface RoutingChecks {
  /** Conversations that never got a queue entry. Must be 0. */
  neverEnqueued: number;
  /** Conversations still open and unassigned at the end, or entries still waiting/offered. Must be 0. */
  stuck: number;
  /** Offers of a one-at-a-time queue that went to more than one agent. Must be 0. */
  multiAgentOffersInOneAtATimeQueues: number;
  /** Offers that opened before the entry's previous offer closed (two at once). Must be 0. */
  overlappingOffers: number;
}

const one = async <T extends Record<string, unknown>>(db: Db, query: ReturnType<typeof sql>) =>
  (await queryRows<T>(db, query))[0] as T;

export async function measure(db: Db, accountId: number): Promise<RoutingFigures> {
  const counts = await one<Record<string, string | number | null>>(
    db,
    sql`SELECT
      (SELECT count(*) FROM conversations WHERE account_id = ${accountId}) AS conversations,
      (SELECT count(*) FROM routing_entries WHERE account_id = ${accountId}) AS entries,
      (SELECT count(*) FROM routing_entries WHERE account_id = ${accountId} AND state = 'assigned') AS assigned,
      (SELECT count(*) FROM routing_entries WHERE account_id = ${accountId} AND state = 'abandoned') AS abandoned,
      (SELECT count(*) FROM routing_offers WHERE account_id = ${accountId}) AS offers,
      (SELECT count(*) FROM routing_offers WHERE account_id = ${accountId} AND state = 'expired') AS expired,
      (SELECT extract(epoch FROM max(offered_at) - min(offered_at)) FROM routing_offers WHERE account_id = ${accountId}) AS span,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_offered_at - enqueued_at) * 1000)
         FROM routing_entries WHERE account_id = ${accountId} AND first_offered_at IS NOT NULL) AS p50,
      (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM first_offered_at - enqueued_at) * 1000)
         FROM routing_entries WHERE account_id = ${accountId} AND first_offered_at IS NOT NULL) AS p99,
      (SELECT max(extract(epoch FROM ended_at - enqueued_at) * 1000)
         FROM routing_entries WHERE account_id = ${accountId} AND state = 'assigned') AS longest,
      (SELECT max(extract(epoch FROM ended_at - enqueued_at) * 1000)
         FROM routing_entries WHERE account_id = ${accountId} AND state = 'abandoned') AS longest_abandoned`,
  );
  const n = (key: string) => Number(counts[key] ?? 0);
  return {
    conversations: n('conversations'),
    entries: n('entries'),
    assigned: n('assigned'),
    abandoned: n('abandoned'),
    offers: n('offers'),
    expiredOffers: n('expired'),
    offersPerSecond: n('span') > 0 ? Math.round(n('offers') / n('span')) : 0,
    offerLatencyP50Ms: Math.round(n('p50')),
    offerLatencyP99Ms: Math.round(n('p99')),
    longestWaitMs: Math.round(n('longest')),
    longestAbandonedWaitMs: Math.round(n('longest_abandoned')),
  };
}

export async function check(db: Db, accountId: number): Promise<RoutingChecks> {
  const row = await one<Record<string, string | number>>(
    db,
    sql`SELECT
      (SELECT count(*) FROM conversations c WHERE c.account_id = ${accountId}
         AND NOT EXISTS (SELECT 1 FROM routing_entries e WHERE e.account_id = c.account_id AND e.conversation_id = c.id)) AS never_enqueued,
      (SELECT count(*) FROM conversations WHERE account_id = ${accountId} AND status = 'open' AND assignee_id IS NULL)
        + (SELECT count(*) FROM routing_entries WHERE account_id = ${accountId} AND state IN ('waiting', 'offered')) AS stuck,
      (SELECT count(*) FROM (
         SELECT o.id FROM routing_offers o
         JOIN routing_queues q ON q.id = o.queue_id
         JOIN routing_offer_agents a ON a.offer_id = o.id
         WHERE o.account_id = ${accountId} AND q.offering_algorithm NOT LIKE '%AllAtOnce'
         GROUP BY o.id HAVING count(*) > 1) t) AS multi_agent,
      (SELECT count(*) FROM (
         SELECT offered_at, lag(closed_at) OVER w AS previous_closed, row_number() OVER w AS position
         FROM routing_offers WHERE account_id = ${accountId}
         WINDOW w AS (PARTITION BY entry_id ORDER BY id)) t
       WHERE position > 1 AND (previous_closed IS NULL OR offered_at < previous_closed)) AS overlapping`,
  );
  return {
    neverEnqueued: Number(row.never_enqueued),
    stuck: Number(row.stuck),
    multiAgentOffersInOneAtATimeQueues: Number(row.multi_agent),
    overlappingOffers: Number(row.overlapping),
  };
}

export function violations(checks: RoutingChecks, ledger: { errors: string[] }): string[] {
  const found = Object.entries(checks)
    .filter(([, value]) => value !== 0)
    .map(([key, value]) => `${key}: ${value}`);
  if (ledger.errors.length > 0)
    found.push(`driver errors: ${ledger.errors.length} (${ledger.errors[0] ?? ''})`);
  return found;
}
