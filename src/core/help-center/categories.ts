import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { helpCenterCategories, type CategoryRow, type PortalRow } from './help-center.tables.js';
import { categoryEventPayload, categoryEvents } from './help-center.events.js';
import { assertPresent, assertSlug, invalid, slugify, taken } from './help-center-rules.js';

export type { CategoryRow } from './help-center.tables.js';

export interface CategoryFields {
  name?: string | undefined;
  slug?: string | undefined;
  locale?: string | undefined;
  description?: string | null | undefined;
  icon?: string | null | undefined;
  position?: number | undefined;
  parentCategoryId?: number | null | undefined;
  associatedCategoryId?: number | null | undefined;
}

const inPortal = (portal: PortalRow) =>
  and(eq(helpCenterCategories.accountId, portal.accountId), eq(helpCenterCategories.portalId, portal.id));

/** A related category must belong to the same portal (and not be the category itself). */
async function assertRelated(
  db: Db,
  portal: PortalRow,
  path: string,
  id: number | null | undefined,
  selfId?: number,
) {
  if (id === undefined || id === null) return;
  const [row] = await db
    .select({ id: helpCenterCategories.id })
    .from(helpCenterCategories)
    .where(and(inPortal(portal), eq(helpCenterCategories.id, id)));
  if (!row || id === selfId) throw invalid(path, 'is not a category of this portal');
}

async function validate(db: Db, portal: PortalRow, fields: CategoryFields, current?: CategoryRow) {
  assertPresent('name', fields.name);
  if (fields.slug !== undefined) assertSlug('slug', fields.slug);
  const locale = fields.locale ?? current?.locale ?? portal.defaultLocale;
  if (!portal.allowedLocales.includes(locale))
    throw invalid('locale', 'is not one of the portal\u2019s locales');
  const slug = fields.slug ?? current?.slug ?? slugify(fields.name ?? '');
  const [clash] = await db
    .select({ id: helpCenterCategories.id })
    .from(helpCenterCategories)
    .where(
      and(
        inPortal(portal),
        eq(helpCenterCategories.locale, locale),
        eq(helpCenterCategories.slug, slug),
        current ? ne(helpCenterCategories.id, current.id) : undefined,
      ),
    );
  if (clash) throw taken('slug');
  await assertRelated(db, portal, 'parent_category_id', fields.parentCategoryId, current?.id);
  await assertRelated(db, portal, 'associated_category_id', fields.associatedCategoryId, current?.id);
  return { locale, slug };
}

export async function createCategory(
  db: Db,
  input: { portal: PortalRow; fields: CategoryFields },
  actor: Actor,
): Promise<CategoryRow> {
  const { portal, fields } = input;
  if (fields.name === undefined) throw invalid('name', "can't be blank");
  const { locale, slug } = await validate(db, portal, fields);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(helpCenterCategories)
      .values({
        accountId: portal.accountId,
        portalId: portal.id,
        name: fields.name?.trim() ?? '',
        slug,
        locale,
        description: fields.description ?? null,
        icon: fields.icon ?? null,
        // Appended at the end of the locale's list unless placed.
        position:
          fields.position ??
          sql`(SELECT coalesce(max(position), 0) + 1 FROM help_center_categories
               WHERE account_id = ${portal.accountId} AND portal_id = ${portal.id} AND locale = ${locale})`,
        parentCategoryId: fields.parentCategoryId ?? null,
        associatedCategoryId: fields.associatedCategoryId ?? null,
      })
      .returning();
    if (!row) throw new Error('category insert returned no row');
    await recordEvent(tx, categoryEvents.created, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: categoryEventPayload(row),
      actor,
    });
    return row;
  });
}

/** A portal's categories, in one locale or all, in their display order. */
export async function listCategories(db: Db, portal: PortalRow, locale?: string): Promise<CategoryRow[]> {
  return db
    .select()
    .from(helpCenterCategories)
    .where(and(inPortal(portal), locale === undefined ? undefined : eq(helpCenterCategories.locale, locale)))
    .orderBy(asc(helpCenterCategories.position), asc(helpCenterCategories.id))
    .limit(1000);
}

export async function getCategory(db: Db, portal: PortalRow, id: number): Promise<CategoryRow> {
  const [row] = await db
    .select()
    .from(helpCenterCategories)
    .where(and(inPortal(portal), eq(helpCenterCategories.id, id)));
  if (!row) throw notFound('Category');
  return row;
}

export async function updateCategory(
  db: Db,
  input: { portal: PortalRow; id: number; fields: CategoryFields },
  actor: Actor,
): Promise<CategoryRow> {
  const { portal, fields } = input;
  const current = await getCategory(db, portal, input.id);
  const { locale, slug } = await validate(db, portal, fields, current);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(helpCenterCategories)
      .set({
        name: fields.name?.trim(),
        slug,
        locale,
        description: fields.description,
        icon: fields.icon,
        position: fields.position,
        parentCategoryId: fields.parentCategoryId,
        associatedCategoryId: fields.associatedCategoryId,
        updatedAt: sql`now()`,
      })
      .where(and(inPortal(portal), eq(helpCenterCategories.id, current.id)))
      .returning();
    if (!row) throw notFound('Category');
    await recordEvent(tx, categoryEvents.updated, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: categoryEventPayload(row),
      actor,
    });
    return row;
  });
}

/** Its articles stay, without a category (as Chatwoot's `nullify`). */
export async function deleteCategory(db: Db, portal: PortalRow, id: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(helpCenterCategories)
      .where(and(inPortal(portal), eq(helpCenterCategories.id, id)))
      .returning();
    if (!row) throw notFound('Category');
    await recordEvent(tx, categoryEvents.deleted, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: categoryEventPayload(row),
      actor,
    });
  });
}
