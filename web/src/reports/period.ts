import type { Dimension, GroupBy, ReportQuery } from './api';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a date in the browser's time zone (what a date input shows). */
export function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${String(date.getFullYear())}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The screen's default period: the last seven days, today included. */
export function defaultPeriod(now = new Date()): { from: string; to: string } {
  return { from: localDay(new Date(now.getTime() - 6 * DAY_MS)), to: localDay(now) };
}

function localMidnight(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The API query for whole local days `from`..`to` (both included), in the browser's offset from
 * UTC, so days and weeks start at the user's midnight. Null while the inputs are incomplete.
 */
export function reportQueryOf(from: string, to: string, groupBy: GroupBy, by: Dimension): ReportQuery | null {
  const start = localMidnight(from);
  const end = localMidnight(to);
  if (!start || !end || start > end) return null;
  const until = new Date(end.getTime() + DAY_MS - 1000);
  return {
    since: start.toISOString(),
    until: until.toISOString(),
    groupBy,
    by,
    timezoneOffset: -start.getTimezoneOffset() / 60,
  };
}

/** Seconds as people read a duration: 45 s, 12 min, 3.5 h, 2.1 d. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${String(Math.round(seconds))} s`;
  if (seconds < 3600) return `${String(Math.round(seconds / 60))} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}
