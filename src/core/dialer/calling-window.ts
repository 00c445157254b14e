import { sql, type SQL } from 'drizzle-orm';

/**
 * True when `at` falls inside the weekly windows (local "HH:MM" per ISO weekday) in `timezone`
 * and its local date is not a holiday. Evaluated by PostgreSQL so that the dialer's pick and its
 * audit use one definition of "inside the window" (time zones and DST included).
 */
export function windowOpenSql(params: { windows: SQL; timezone: SQL; holidays: SQL; at: Date }): SQL {
  const local = sql`(${params.at.toISOString()}::timestamptz AT TIME ZONE ${params.timezone})`;
  return sql`(
    NOT ((${local})::date = ANY(${params.holidays}))
    AND EXISTS (
      SELECT 1 FROM jsonb_array_elements(
        coalesce(${params.windows} -> (extract(isodow FROM ${local})::int)::text, '[]'::jsonb)
      ) AS w(slot)
      WHERE (${local})::time >= (w.slot ->> 'start')::time
        AND ((w.slot ->> 'end') = '24:00' OR (${local})::time < (w.slot ->> 'end')::time)
    )
  )`;
}

/** The local wall-clock time of `at` in `timezone`, for decision records ("2026-01-05 09:12 Europe/Paris"). */
export function localTimeOf(at: Date, timezone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('sv-SE', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    }).format(at);
    return `${parts} ${timezone}`;
  } catch {
    return `${at.toISOString()} UTC`;
  }
}
