import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.js';
import type { ClaimedJob } from './job-store.js';
import type { JobState } from './jobs.tables.js';

export interface ClaimRequest {
  queues: readonly string[];
  names: readonly string[];
  limit: number;
  workerId: string;
  leaseMs: number;
  /**
   * Accounts this worker served lately, least recent first (0 for jobs without an account).
   * Among accounts with the same turn, those not in the list go first, then the least recent:
   * round-robin across claims, not only within one.
   */
  recentAccounts?: readonly number[];
}

/**
 * How many due jobs one claim looks at before ranking them. The scan follows jobs_due_idx, so it
 * reads at most this many rows however deep the backlog is; fairness holds between the accounts
 * whose jobs fall in the window (jobs blocked by their concurrency key never take room in it).
 */
export const CANDIDATE_WINDOW = 500;

function bigintArray(values: readonly number[]): SQL {
  const items = sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
  return sql`ARRAY[${items}]::bigint[]`;
}

function list(values: readonly string[]): SQL {
  return sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
}

/**
 * Claims up to `limit` due jobs in one statement, fairly across accounts.
 *
 * 1. `busy`: running jobs per concurrency key (a webhook endpoint), from the small running set.
 * 2. `candidates`: a bounded window of due jobs in (priority DESC, run_at, id) order, leaving out
 *    those whose key is already at its limit, plus jobs whose lease expired (their worker died).
 * 3. `ranked`: each candidate's turn within its account (row_number), and within its key.
 * 4. `picked`: candidates in turn order (every account's first job, then every account's second
 *    job, ...; accounts served lately last among equals), keys kept under their limit, locked with SKIP LOCKED. PostgreSQL refuses FOR UPDATE
 *    next to window functions, hence the ranking one level down; the lock step re-checks that the
 *    row is still due, so a row another worker claimed meanwhile is not taken twice.
 * Only registered names are claimed, so a node running older code leaves unknown jobs alone.
 */
export async function claimJobs(db: Db, request: ClaimRequest): Promise<ClaimedJob[]> {
  if (request.limit <= 0 || request.queues.length === 0 || request.names.length === 0) return [];
  const inScope = sql`j.queue IN (${list(request.queues)}) AND j.name IN (${list(request.names)})`;
  // An uncorrelated NOT IN becomes a hashed lookup: constant cost per scanned row, however many
  // keys are busy (a join to `busy` here cost a nested loop over every candidate row).
  const full = sql`SELECT concurrency_key FROM busy WHERE running >= max_running`;
  const underLimit = sql`(j.concurrency_key IS NULL OR j.concurrency_key NOT IN (${full}))`;
  const recent = bigintArray(request.recentAccounts ?? []);
  const columns = sql`j.id, j.account_id, j.priority, j.run_at, j.concurrency_key, j.concurrency_limit`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`WITH busy AS (
      SELECT concurrency_key, count(*)::int AS running, min(concurrency_limit) AS max_running FROM jobs
      WHERE state = 'running' AND concurrency_key IS NOT NULL AND locked_until >= now()
      GROUP BY concurrency_key
    ),
    candidates AS (
      (SELECT ${columns} FROM jobs j
        WHERE ${inScope} AND j.state IN ('queued', 'retrying') AND j.run_at <= now() AND ${underLimit}
        ORDER BY j.priority DESC, j.run_at, j.id
        LIMIT ${CANDIDATE_WINDOW})
      UNION ALL
      (SELECT ${columns} FROM jobs j
        WHERE ${inScope} AND j.state = 'running' AND j.locked_until < now() AND ${underLimit}
        ORDER BY j.locked_until
        LIMIT ${CANDIDATE_WINDOW})
    ),
    ranked AS (
      SELECT c.*,
        row_number() OVER (PARTITION BY coalesce(c.account_id, 0) ORDER BY c.priority DESC, c.run_at, c.id) AS turn,
        row_number() OVER (PARTITION BY c.concurrency_key ORDER BY c.priority DESC, c.run_at, c.id) AS key_turn
      FROM candidates c
    ),
    picked AS (
      SELECT j.id, j.state AS previous_state FROM jobs j
      JOIN ranked r ON r.id = j.id
      LEFT JOIN busy b ON b.concurrency_key = r.concurrency_key
      WHERE (r.concurrency_key IS NULL OR r.key_turn + coalesce(b.running, 0) <= r.concurrency_limit)
        AND ((j.state IN ('queued', 'retrying') AND j.run_at <= now())
          OR (j.state = 'running' AND j.locked_until < now()))
      ORDER BY r.turn, coalesce(array_position(${recent}, coalesce(r.account_id, 0)), 0),
        r.priority DESC, r.run_at, r.id
      LIMIT ${request.limit}
      FOR UPDATE OF j SKIP LOCKED
    )
    UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, lease_token = gen_random_uuid(),
      locked_by = ${request.workerId},
      locked_until = now() + ${request.leaseMs}::double precision * interval '1 millisecond',
      started_at = now(), updated_at = now()
    FROM picked WHERE jobs.id = picked.id
    RETURNING jobs.id, jobs.name, jobs.queue, jobs.account_id, jobs.payload, jobs.attempts,
      jobs.max_attempts, jobs.lease_token, picked.previous_state`,
  );
  return rows.map(toClaimedJob).sort((a, b) => a.id - b.id);
}

// Raw rows differ by driver (postgres.js returns bigint as string): normalise here.
function toClaimedJob(row: Record<string, unknown>): ClaimedJob {
  return {
    id: Number(row.id),
    name: String(row.name),
    queue: String(row.queue),
    accountId: row.account_id === null ? null : Number(row.account_id),
    payload: row.payload,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    leaseToken: String(row.lease_token),
    previousState: String(row.previous_state) as JobState,
  };
}

/**
 * Which of `queues` have a job to claim now: due, or running on an expired lease. One cheap
 * statement (an index probe per queue) that spares the poll a full claim per pool when there is
 * nothing to do, which on an idle node is every poll.
 */
export async function queuesWithWork(db: Db, queues: readonly string[]): Promise<Set<string>> {
  if (queues.length === 0) return new Set();
  const rows = await queryRows<{ queue: string }>(
    db,
    sql`SELECT q.queue FROM unnest(ARRAY[${list(queues)}]::text[]) AS q(queue)
      WHERE EXISTS (SELECT 1 FROM jobs j
          WHERE j.queue = q.queue AND j.state IN ('queued', 'retrying') AND j.run_at <= now())
        OR EXISTS (SELECT 1 FROM jobs j
          WHERE j.queue = q.queue AND j.state = 'running' AND j.locked_until < now())`,
  );
  return new Set(rows.map((row) => row.queue));
}
