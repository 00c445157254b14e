import postgres from 'postgres';
import { connectServer } from '../../src/platform/db/server-address.js';
import type { CapturedQuery } from './capture-database.js';

export interface Measurement {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release savepoint)\b/i;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}

/**
 * Values a request reads and then writes back, which a replay must take from its own reads: the
 * row version a guarded update matches (`xmin = $n::xid`, read as column `xmin`) and the id drawn
 * for an insert that gives its own (`overriding system value values ($n`, read as `nextval`).
 * Replaying the captured ones would match no row, or repeat a key.
 */
const FED_FORWARD = [
  { column: 'xmin', param: /\.xmin = \$(\d+)::xid/ },
  { column: 'nextval', param: /overriding system value values \(\$(\d+)/ },
];

type ReplayedQuery = CapturedQuery & { fedForward: { column: string; index: number }[] };

function fedForwardParams(text: string): { column: string; index: number }[] {
  return FED_FORWARD.flatMap(({ column, param }) => {
    const match = param.exec(text);
    return match ? [{ column, index: Number(match[1]) - 1 }] : [];
  });
}

/**
 * The database's share of a request: the statements HTTP requests issued, replayed through
 * postgres.js by concurrent loops for `durationSeconds`, with no HTTP, auth framework or JSON in
 * between. Each loop replays its own captured request (`requests[i]`, one per connection), so
 * writes spread over rows as the HTTP load spreads them. Statements that ran in a transaction
 * are replayed in one.
 */
export async function measureBaseline(
  url: string,
  requests: CapturedQuery[][],
  options: { durationSeconds: number },
): Promise<Measurement> {
  const sql = connectServer(url, { max: requests.length, onnotice: () => undefined });
  const replay = async (runner: postgres.Sql | postgres.TransactionSql, statements: ReplayedQuery[]) => {
    const read = new Map<string, unknown>();
    for (const statement of statements) {
      const params = [...statement.params];
      for (const { column, index } of statement.fedForward) {
        if (read.has(column)) params[index] = read.get(column);
      }
      // Named, as Parley sends them (withNamedStatements): the plan is the server's to keep.
      const rows = await runner.unsafe(statement.text, params as postgres.ParameterOrJSON<never>[], {
        prepare: params.length > 0,
      });
      const [first] = rows as unknown as Record<string, unknown>[];
      for (const { column } of FED_FORWARD) if (first && column in first) read.set(column, first[column]);
    }
  };
  const latencies: number[] = [];
  const deadline = performance.now() + options.durationSeconds * 1000;
  try {
    await Promise.all(
      requests.map(async (queries) => {
        const statements = queries
          .filter((query) => !TRANSACTION_CONTROL.test(query.text))
          .map((query) => ({ ...query, fedForward: fedForwardParams(query.text) }));
        const isTransaction = statements.length !== queries.length;
        while (performance.now() < deadline) {
          const started = performance.now();
          if (isTransaction) await sql.begin((tx) => replay(tx, statements));
          else await replay(sql, statements);
          latencies.push(performance.now() - started);
        }
      }),
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / options.durationSeconds),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}
