import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { arrayLiteral } from '../analytics/sql-arrays.js';
import { inRange } from './report-figures.js';
import type { ReportRange } from './report-range.js';

export interface InboxLabelMatrix {
  inboxes: { id: number; name: string }[];
  labels: { id: number; title: string }[];
  /** matrix[i][j]: conversations created in the range in inboxes[i] that carry labels[j] now. */
  matrix: number[][];
}

const idFilter = (column: SQL, ids: number[] | undefined) =>
  ids && ids.length > 0 ? sql`${column} = ANY(${arrayLiteral(ids)}::bigint[])` : sql`true`;

export async function inboxLabelMatrix(
  db: Db,
  input: {
    accountId: number;
    range: ReportRange;
    inboxIds?: number[] | undefined;
    labelIds?: number[] | undefined;
  },
): Promise<InboxLabelMatrix> {
  const { accountId } = input;
  const [inboxes, labels] = await Promise.all([
    queryRows<{ id: string | number; name: string }>(
      db,
      sql`SELECT id, name FROM inboxes WHERE account_id = ${accountId} AND ${idFilter(sql`id`, input.inboxIds)}
          ORDER BY name, id`,
    ),
    queryRows<{ id: string | number; name: string }>(
      db,
      sql`SELECT id, name FROM labels WHERE account_id = ${accountId} AND ${idFilter(sql`id`, input.labelIds)}
          ORDER BY name, id`,
    ),
  ]);
  if (inboxes.length === 0 || labels.length === 0) {
    return {
      inboxes: inboxes.map((row) => ({ id: Number(row.id), name: row.name })),
      labels: labels.map((row) => ({ id: Number(row.id), title: row.name })),
      matrix: inboxes.map(() => labels.map(() => 0)),
    };
  }
  const counts = await queryRows<{ inbox_id: string | number; label: string; count: string | number }>(
    db,
    sql`SELECT c.inbox_id, label, count(*) AS count FROM conversations c, unnest(c.labels) AS label
        WHERE c.account_id = ${accountId} AND ${inRange(sql`c.created_at`, input.range)}
          AND c.inbox_id = ANY(${arrayLiteral(inboxes.map((row) => Number(row.id)))}::bigint[])
          AND label = ANY(${arrayLiteral(labels.map((row) => row.name))}::text[])
        GROUP BY 1, 2`,
  );
  const countOf = new Map(counts.map((row) => [`${row.inbox_id}|${row.label}`, Number(row.count)]));
  return {
    inboxes: inboxes.map((row) => ({ id: Number(row.id), name: row.name })),
    labels: labels.map((row) => ({ id: Number(row.id), title: row.name })),
    matrix: inboxes.map((inbox) => labels.map((label) => countOf.get(`${inbox.id}|${label.name}`) ?? 0)),
  };
}
