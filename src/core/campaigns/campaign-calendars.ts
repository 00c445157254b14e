import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { dialerCalendars, type DialerCalendarRow } from './campaigns.tables.js';
import { holidaysSchema, timezoneSchema, weeklyWindowsSchema } from './campaign-settings.js';
import { parseOrFail } from './campaign-validation.js';

export type { DialerCalendarRow } from './campaigns.tables.js';

export const calendarChangesSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  timezone: timezoneSchema.optional(),
  weeklyWindows: weeklyWindowsSchema.optional(),
  holidays: holidaysSchema.optional(),
});
export const calendarCreateSchema = calendarChangesSchema.extend({ name: z.string().trim().min(1).max(200) });
export type CalendarCreateInput = z.input<typeof calendarCreateSchema>;
export type CalendarChanges = z.input<typeof calendarChangesSchema>;

export async function loadCalendar(
  db: Db,
  accountId: number,
  calendarId: number,
): Promise<DialerCalendarRow | undefined> {
  const [row] = await db
    .select()
    .from(dialerCalendars)
    .where(and(eq(dialerCalendars.accountId, accountId), eq(dialerCalendars.id, calendarId)));
  return row;
}

export async function listCalendars(
  db: Db,
  accountId: number,
  page: { limit: number; afterId?: number | undefined },
): Promise<DialerCalendarRow[]> {
  return db
    .select()
    .from(dialerCalendars)
    .where(
      and(
        eq(dialerCalendars.accountId, accountId),
        page.afterId !== undefined ? sql`${dialerCalendars.id} > ${page.afterId}` : undefined,
      ),
    )
    .orderBy(asc(dialerCalendars.id))
    .limit(page.limit);
}

export async function createCalendar(
  db: Db,
  accountId: number,
  input: CalendarCreateInput,
): Promise<DialerCalendarRow> {
  const data = parseOrFail(calendarCreateSchema, input);
  const [row] = await db
    .insert(dialerCalendars)
    .values({ accountId, ...data })
    .returning();
  if (!row) throw new Error('calendar was not created');
  return row;
}

export async function updateCalendar(
  db: Db,
  accountId: number,
  calendarId: number,
  changes: CalendarChanges,
): Promise<DialerCalendarRow | undefined> {
  const data = parseOrFail(calendarChangesSchema, changes);
  const [row] = await db
    .update(dialerCalendars)
    .set({ ...data, updatedAt: sql`now()` })
    .where(and(eq(dialerCalendars.accountId, accountId), eq(dialerCalendars.id, calendarId)))
    .returning();
  return row;
}

/** Campaigns and contacts that used the calendar fall back to their own rules (FK set null). */
export async function deleteCalendar(
  db: Db,
  accountId: number,
  calendarId: number,
): Promise<DialerCalendarRow | undefined> {
  const [row] = await db
    .delete(dialerCalendars)
    .where(and(eq(dialerCalendars.accountId, accountId), eq(dialerCalendars.id, calendarId)))
    .returning();
  return row;
}
