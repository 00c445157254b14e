/**
 * The total of a search whose conditions no statistics describe (custom field comparisons and
 * patterns), on a large table: counted over a sample of the table's pages and scaled up. The
 * planner's figure for such a condition is a fixed guess (0.5 % of the rows whatever the value),
 * and the exact count reads every contact of the campaign when matches are spread out: it ran out
 * of its time budget and cost more than the page. A ~20,000-row sample takes a few milliseconds
 * and lands within a few percent (the seed calls totals approximate).
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { campaignContacts as cc } from './campaigns.tables.js';

/** Below this many rows in the table an exact count is cheap: no sampling. */
const MIN_TABLE_ROWS = 100_000;
/** About this many rows of the table are read. */
const SAMPLE_ROWS = 20_000;
/** Fewer matches than this in the sample say too little: the caller counts exactly. */
const MIN_SAMPLED_MATCHES = 20;

interface SampleRow extends Record<string, unknown> {
  matched: number | string;
  rows: number | string;
}

/** The scaled total, or undefined when the table is small or the sample saw too few matches. */
export async function sampledCount(db: Db, where: SQL | undefined): Promise<number | undefined> {
  const [table] = await queryRows<SampleRow>(
    db,
    sql`SELECT 0 AS matched, reltuples AS rows FROM pg_class WHERE oid = 'campaign_contacts'::regclass`,
  );
  const tableRows = Number(table?.rows ?? 0);
  if (tableRows < MIN_TABLE_ROWS) return undefined;
  const percent = Math.min(100, (100 * SAMPLE_ROWS) / tableRows);
  // REPEATABLE: the same pages each time, so paging through one result shows one total.
  const [sample] = await queryRows<SampleRow>(
    db,
    sql`SELECT count(*) AS matched, 0 AS rows
        FROM ${cc} TABLESAMPLE SYSTEM (${sql.raw(percent.toFixed(4))}) REPEATABLE (0)
        WHERE ${where}`,
  );
  const matched = Number(sample?.matched ?? 0);
  if (matched < MIN_SAMPLED_MATCHES) return undefined;
  return Math.round((matched * 100) / percent);
}
