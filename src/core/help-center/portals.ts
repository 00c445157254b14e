import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { portals, type PortalRow } from './help-center.tables.js';
import { portalEventPayload, portalEvents } from './help-center.events.js';
import { assertLocale, assertPresent, assertSlug, invalid, taken } from './help-center-rules.js';

export type { PortalRow } from './help-center.tables.js';

export interface PortalFields {
  name?: string | undefined;
  slug?: string | undefined;
  customDomain?: string | null | undefined;
  color?: string | null | undefined;
  headerText?: string | null | undefined;
  pageTitle?: string | null | undefined;
  homepageLink?: string | null | undefined;
  allowedLocales?: string[] | undefined;
  defaultLocale?: string | undefined;
  isArchived?: boolean | undefined;
}

/** Blank optional texts are stored as absent, so a form that clears a field clears it. */
function blankToNull(value: string | null | undefined): string | null | undefined {
  return value === undefined ? undefined : value?.trim() || null;
}

/** The locales a portal serves: its default first when it is new, never without its default. */
function localesOf(fields: PortalFields, current?: PortalRow): { allowed: string[]; fallback: string } {
  const allowed = fields.allowedLocales ?? current?.allowedLocales ?? [];
  allowed.forEach((locale, index) => assertLocale(`config.allowed_locales.${index}`, locale));
  const fallback = fields.defaultLocale ?? current?.defaultLocale ?? allowed[0] ?? 'en';
  assertLocale('config.default_locale', fallback);
  const unique = [...new Set(allowed)];
  return { allowed: unique.includes(fallback) ? unique : [fallback, ...unique], fallback };
}

async function assertUnique(db: Db, fields: PortalFields, exceptId?: number): Promise<void> {
  const others = exceptId === undefined ? undefined : ne(portals.id, exceptId);
  // Slugs and domains are instance-wide (the public pages have no account in their address).
  if (fields.slug !== undefined) {
    const [row] = await db
      .select({ id: portals.id })
      .from(portals)
      .where(and(eq(portals.slug, fields.slug), others));
    if (row) throw taken('slug');
  }
  const domain = blankToNull(fields.customDomain);
  if (domain) {
    const [row] = await db
      .select({ id: portals.id })
      .from(portals)
      .where(and(eq(portals.customDomain, domain), others));
    if (row) throw taken('custom_domain');
  }
}

function columnsOf(fields: PortalFields, current?: PortalRow) {
  assertPresent('name', fields.name);
  if (fields.slug !== undefined) assertSlug('slug', fields.slug);
  const locales = localesOf(fields, current);
  return {
    ...(fields.name !== undefined && { name: fields.name.trim() }),
    ...(fields.slug !== undefined && { slug: fields.slug }),
    customDomain: blankToNull(fields.customDomain),
    color: blankToNull(fields.color),
    headerText: blankToNull(fields.headerText),
    pageTitle: blankToNull(fields.pageTitle),
    homepageLink: blankToNull(fields.homepageLink),
    allowedLocales: locales.allowed,
    defaultLocale: locales.fallback,
    isArchived: fields.isArchived,
  };
}

export async function createPortal(
  db: Db,
  input: PortalFields & { accountId: number },
  actor: Actor,
): Promise<PortalRow> {
  if (input.name === undefined) throw invalid('name', "can't be blank");
  if (input.slug === undefined) throw invalid('slug', "can't be blank");
  const columns = columnsOf(input);
  await assertUnique(db, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(portals)
      .values({ ...columns, accountId: input.accountId, name: input.name ?? '', slug: input.slug ?? '' })
      .returning();
    if (!row) throw new Error('portal insert returned no row');
    await recordEvent(tx, portalEvents.created, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: portalEventPayload(row),
      actor,
    });
    return row;
  });
}

/** An account has a handful of portals; Chatwoot lists them all, unpaged. */
export async function listPortals(db: Db, accountId: number): Promise<PortalRow[]> {
  return db
    .select()
    .from(portals)
    .where(eq(portals.accountId, accountId))
    .orderBy(asc(portals.id))
    .limit(500);
}

export async function findPortalBySlug(db: Db, accountId: number, slug: string): Promise<PortalRow | null> {
  const [row] = await db
    .select()
    .from(portals)
    .where(and(eq(portals.accountId, accountId), eq(portals.slug, slug)));
  return row ?? null;
}

/** Chatwoot names a portal by its slug in API paths. */
export async function getPortalBySlug(db: Db, accountId: number, slug: string): Promise<PortalRow> {
  const row = await findPortalBySlug(db, accountId, slug);
  if (!row) throw notFound('Portal');
  return row;
}

export async function updatePortal(
  db: Db,
  input: { accountId: number; slug: string; fields: PortalFields },
  actor: Actor,
): Promise<PortalRow> {
  const current = await getPortalBySlug(db, input.accountId, input.slug);
  const columns = columnsOf(input.fields, current);
  await assertUnique(db, input.fields, current.id);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(portals)
      .set({ ...columns, updatedAt: sql`now()` })
      .where(and(eq(portals.accountId, input.accountId), eq(portals.id, current.id)))
      .returning();
    if (!row) throw notFound('Portal');
    await recordEvent(tx, portalEvents.updated, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: portalEventPayload(row),
      actor,
    });
    return row;
  });
}

/** Deletes the portal with its categories and articles (the foreign keys cascade). */
export async function deletePortal(db: Db, accountId: number, slug: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(portals)
      .where(and(eq(portals.accountId, accountId), eq(portals.slug, slug)))
      .returning();
    if (!row) throw notFound('Portal');
    await recordEvent(tx, portalEvents.deleted, {
      accountId,
      aggregateId: row.id,
      payload: portalEventPayload(row),
      actor,
    });
  });
}
