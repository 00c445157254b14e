import { DomainError } from '../../platform/errors.js';

/** Dixa's period presets (Preset.value), plus PreviousYear, which Dixa clients also send. */
export const periodPresets = [
  'Today',
  'Yesterday',
  'ThisWeek',
  'PreviousWeek',
  'ThisMonth',
  'PreviousMonth',
  'ThisQuarter',
  'PreviousQuarter',
  'ThisYear',
  'PreviousYear',
] as const;
export type PeriodPreset = (typeof periodPresets)[number];

export type PeriodSpec = { preset: PeriodPreset } | { start: string; end: string };

/** A half-open period [start, end). */
export interface Period {
  start: Date;
  end: Date;
}

export function assertTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new DomainError('BAD_REQUEST', `timezone: ${timezone} is not an IANA time zone`);
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallTimeOf(instant: Date, timezone: string): WallTime {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const asUtc = (wall: WallTime) =>
  Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/**
 * The instant a wall-clock time has in a zone. Twice round, so a time just after a DST change
 * uses the offset in force then; a time skipped by the change lands just after it.
 */
export function zonedTimeToUtc(wall: WallTime, timezone: string): Date {
  const target = asUtc(wall);
  let guess = target;
  for (let round = 0; round < 2; round += 1) {
    const offset = asUtc(wallTimeOf(new Date(guess), timezone)) - guess;
    guess = target - offset;
  }
  return new Date(guess);
}

/** Local midnight of a calendar day (month and day may overflow; Date.UTC normalises them). */
function localMidnight(year: number, month: number, day: number, timezone: string): Date {
  const normal = new Date(Date.UTC(year, month - 1, day));
  return zonedTimeToUtc(
    {
      year: normal.getUTCFullYear(),
      month: normal.getUTCMonth() + 1,
      day: normal.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
    },
    timezone,
  );
}

function presetPeriod(preset: PeriodPreset, timezone: string, now: Date): Period {
  const { year, month, day } = wallTimeOf(now, timezone);
  const span = (from: [number, number, number], to: [number, number, number]): Period => ({
    start: localMidnight(...from, timezone),
    end: localMidnight(...to, timezone),
  });
  // Weeks start on Monday, as in Denmark (Dixa) and ISO 8601.
  const monday = day - ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7);
  const quarterMonth = month - ((month - 1) % 3);
  switch (preset) {
    case 'Today':
      return span([year, month, day], [year, month, day + 1]);
    case 'Yesterday':
      return span([year, month, day - 1], [year, month, day]);
    case 'ThisWeek':
      return span([year, month, monday], [year, month, monday + 7]);
    case 'PreviousWeek':
      return span([year, month, monday - 7], [year, month, monday]);
    case 'ThisMonth':
      return span([year, month, 1], [year, month + 1, 1]);
    case 'PreviousMonth':
      return span([year, month - 1, 1], [year, month, 1]);
    case 'ThisQuarter':
      return span([year, quarterMonth, 1], [year, quarterMonth + 3, 1]);
    case 'PreviousQuarter':
      return span([year, quarterMonth - 3, 1], [year, quarterMonth, 1]);
    case 'ThisYear':
      return span([year, 1, 1], [year + 1, 1, 1]);
    case 'PreviousYear':
      return span([year - 1, 1, 1], [year, 1, 1]);
  }
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** An interval bound: with an offset it is an instant; without one, a wall time in the zone. */
function parseBound(value: string, timezone: string, name: string): Date {
  const local = LOCAL_TIME.exec(value);
  const instant = local
    ? zonedTimeToUtc(
        {
          year: Number(local[1]),
          month: Number(local[2]),
          day: Number(local[3]),
          hour: Number(local[4] ?? 0),
          minute: Number(local[5] ?? 0),
          second: Number(local[6] ?? 0),
        },
        timezone,
      )
    : new Date(value);
  if (Number.isNaN(instant.getTime()))
    throw new DomainError('BAD_REQUEST', `periodFilter: ${name} is not a date-time`);
  return instant;
}

/** Resolves a preset or interval in the requested IANA time zone. */
export function resolvePeriod(spec: PeriodSpec, timezone: string, now = new Date()): Period {
  assertTimezone(timezone);
  if ('preset' in spec) return presetPeriod(spec.preset, timezone, now);
  const period = {
    start: parseBound(spec.start, timezone, 'start'),
    end: parseBound(spec.end, timezone, 'end'),
  };
  if (period.start.getTime() >= period.end.getTime()) {
    throw new DomainError('BAD_REQUEST', 'periodFilter: start must be before end');
  }
  return period;
}
