import { describe, expect, it } from 'vitest';
import { resolvePeriod } from './period.js';
import { periodSegments } from './query-metric.js';

const iso = (period: { start: Date; end: Date }) => [period.start.toISOString(), period.end.toISOString()];
const span = (range: { from: Date; to: Date }) => [range.from.toISOString(), range.to.toISOString()];
// Wednesday 01:30 in Copenhagen (UTC+2), still Tuesday in UTC.
const now = new Date('2026-06-09T23:30:00Z');

describe('analytics periods', () => {
  it('resolves presets from the local date in the requested zone, weeks starting on Monday', () => {
    expect(iso(resolvePeriod({ preset: 'Today' }, 'Europe/Copenhagen', now))).toEqual([
      '2026-06-09T22:00:00.000Z',
      '2026-06-10T22:00:00.000Z',
    ]);
    expect(iso(resolvePeriod({ preset: 'Today' }, 'UTC', now))).toEqual([
      '2026-06-09T00:00:00.000Z',
      '2026-06-10T00:00:00.000Z',
    ]);
    expect(iso(resolvePeriod({ preset: 'PreviousWeek' }, 'Europe/Copenhagen', now))).toEqual([
      '2026-05-31T22:00:00.000Z',
      '2026-06-07T22:00:00.000Z',
    ]);
    expect(iso(resolvePeriod({ preset: 'PreviousQuarter' }, 'UTC', now))).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
    ]);
    expect(
      iso(resolvePeriod({ preset: 'PreviousMonth' }, 'Asia/Kolkata', new Date('2026-01-15T12:00:00Z'))),
    ).toEqual(['2025-11-30T18:30:00.000Z', '2025-12-31T18:30:00.000Z']);
  });

  it('follows daylight saving changes: a March day in Copenhagen lasts 23 hours', () => {
    const day = resolvePeriod(
      { start: '2026-03-29T00:00:00', end: '2026-03-30T00:00:00' },
      'Europe/Copenhagen',
    );
    expect(iso(day)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
  });

  it('takes interval bounds with an offset as instants', () => {
    const period = resolvePeriod(
      { start: '2026-06-01T10:00:00+02:00', end: '2026-06-01T12:00:00Z' },
      'Asia/Tokyo',
    );
    expect(iso(period)).toEqual(['2026-06-01T08:00:00.000Z', '2026-06-01T12:00:00.000Z']);
  });

  it('refuses unknown zones, unreadable bounds and empty intervals', () => {
    expect(() => resolvePeriod({ preset: 'Today' }, 'Mars/Olympus')).toThrow(/IANA/);
    expect(() => resolvePeriod({ start: 'soon', end: '2026-06-01T00:00:00Z' }, 'UTC')).toThrow(/date-time/);
    expect(() => resolvePeriod({ start: '2026-06-02', end: '2026-06-01' }, 'UTC')).toThrow(/before/);
  });

  it('splits a period into raw minutes, whole hours and whole UTC days that tile it exactly', () => {
    const period = { start: new Date('2026-06-09T18:30:00Z'), end: new Date('2026-06-12T05:45:00Z') };
    const segments = periodSegments(period, true);
    expect(segments.raw.map(span)).toEqual([
      ['2026-06-09T18:30:00.000Z', '2026-06-09T19:00:00.000Z'],
      ['2026-06-12T05:00:00.000Z', '2026-06-12T05:45:00.000Z'],
    ]);
    expect(segments.hour.map(span)).toEqual([
      ['2026-06-09T19:00:00.000Z', '2026-06-10T00:00:00.000Z'],
      ['2026-06-12T00:00:00.000Z', '2026-06-12T05:00:00.000Z'],
    ]);
    expect(span(segments.day)).toEqual(['2026-06-10T00:00:00.000Z', '2026-06-12T00:00:00.000Z']);
    const withoutDays = periodSegments(period, false);
    expect(withoutDays.hour.map(span)).toEqual([
      ['2026-06-09T19:00:00.000Z', '2026-06-12T05:00:00.000Z'],
      ['2026-06-12T05:00:00.000Z', '2026-06-12T05:00:00.000Z'],
    ]);
    const short = periodSegments(
      { start: new Date('2026-06-09T18:10:00Z'), end: new Date('2026-06-09T18:50:00Z') },
      true,
    );
    expect(short.raw.map(span)[0]).toEqual(['2026-06-09T18:10:00.000Z', '2026-06-09T18:50:00.000Z']);
  });
});
