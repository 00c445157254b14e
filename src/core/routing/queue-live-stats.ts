import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';

/**
 * A queue as it stands now: conversations waiting for an offer, conversations offered (an open
 * offer), the wait of the oldest of them, and its members by presence. "Online" is connected
 * (Working or Away), "working" is Working, the presence routing offers to.
 */
export interface QueueLiveStats {
  queueId: number;
  waiting: number;
  offered: number;
  /** Seconds since the oldest waiting or offered conversation joined the queue; 0 when none. */
  longestWaitSeconds: number;
  members: number;
  membersOnline: number;
  membersWorking: number;
}

type Row = {
  queue_id: string | number;
  waiting: number;
  offered: number;
  longest_wait: number;
  members: number;
  members_online: number;
  members_working: number;
};

/**
 * The live figures of the account's queues (or of one), in one statement whatever their number:
 * each queue reads its live entries through the waiting/live indexes and its members by the
 * membership key.
 */
export async function listQueueLiveStats(
  db: Db,
  accountId: number,
  options: { queueId?: number } = {},
): Promise<Map<number, QueueLiveStats>> {
  const oneQueue = options.queueId === undefined ? sql`` : sql`AND q.id = ${options.queueId}`;
  const rows = await queryRows<Row>(
    db,
    sql`SELECT q.id AS queue_id,
          coalesce(e.waiting, 0) AS waiting, coalesce(e.offered, 0) AS offered,
          coalesce(e.longest_wait, 0) AS longest_wait,
          coalesce(m.members, 0) AS members, coalesce(m.members_online, 0) AS members_online,
          coalesce(m.members_working, 0) AS members_working
        FROM routing_queues q
        LEFT JOIN LATERAL (
          SELECT count(*) FILTER (WHERE e.state = 'waiting')::int AS waiting,
                 count(*) FILTER (WHERE e.state = 'offered')::int AS offered,
                 extract(epoch FROM clock_timestamp() - min(e.enqueued_at))::float8 AS longest_wait
          FROM routing_entries e
          WHERE e.account_id = q.account_id AND e.queue_id = q.id AND e.state IN ('waiting', 'offered')
        ) e ON true
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS members,
                 count(*) FILTER (WHERE u.availability <> 'offline')::int AS members_online,
                 count(*) FILTER (WHERE u.availability = 'online')::int AS members_working
          FROM routing_queue_members rm
          JOIN account_users u ON u.account_id = rm.account_id AND u.user_id = rm.user_id
          WHERE rm.account_id = q.account_id AND rm.queue_id = q.id
        ) m ON true
        WHERE q.account_id = ${accountId} ${oneQueue}`,
  );
  return new Map(
    rows.map((row) => {
      const queueId = Number(row.queue_id);
      return [
        queueId,
        {
          queueId,
          waiting: row.waiting,
          offered: row.offered,
          longestWaitSeconds: Math.max(0, Math.floor(row.longest_wait)),
          members: row.members,
          membersOnline: row.members_online,
          membersWorking: row.members_working,
        },
      ];
    }),
  );
}
