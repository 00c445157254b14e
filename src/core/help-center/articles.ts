import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import {
  helpCenterArticles,
  type ArticleRow,
  type ArticleStatus,
  type PortalRow,
} from './help-center.tables.js';
import { articleEventPayload, articleEvents } from './help-center.events.js';
import { assertPresent, assertSlug, invalid, slugify, taken } from './help-center-rules.js';
import { validateArticleLinks } from './article-links.js';

export type { ArticleRow } from './help-center.tables.js';

export interface ArticleFields {
  title?: string | undefined;
  slug?: string | undefined;
  content?: string | undefined;
  description?: string | null | undefined;
  status?: ArticleStatus | undefined;
  locale?: string | undefined;
  categoryId?: number | null | undefined;
  authorId?: number | null | undefined;
  associatedArticleId?: number | null | undefined;
  position?: number | undefined;
  meta?: Record<string, unknown> | undefined;
}

const inPortal = (portal: PortalRow) =>
  and(eq(helpCenterArticles.accountId, portal.accountId), eq(helpCenterArticles.portalId, portal.id));

async function isSlugTaken(db: Db, portal: PortalRow, slug: string, exceptId?: number): Promise<boolean> {
  const [row] = await db
    .select({ id: helpCenterArticles.id })
    .from(helpCenterArticles)
    .where(
      and(
        inPortal(portal),
        eq(helpCenterArticles.slug, slug),
        exceptId === undefined ? undefined : ne(helpCenterArticles.id, exceptId),
      ),
    );
  return row !== undefined;
}

/** A given slug must be free; a derived one (from the title) gets a time suffix when it is not. */
async function slugFor(db: Db, portal: PortalRow, fields: ArticleFields): Promise<string> {
  if (fields.slug !== undefined) {
    assertSlug('slug', fields.slug);
    if (await isSlugTaken(db, portal, fields.slug)) throw taken('slug');
    return fields.slug;
  }
  const base = slugify(fields.title ?? '');
  return (await isSlugTaken(db, portal, base)) ? `${base}-${Date.now().toString(36)}` : base;
}

export async function createArticle(
  db: Db,
  input: { portal: PortalRow; fields: ArticleFields },
  actor: Actor,
): Promise<ArticleRow> {
  const { portal, fields } = input;
  if (fields.title === undefined) throw invalid('title', "can't be blank");
  assertPresent('title', fields.title);
  // Chatwoot credits the agent who writes it unless another author is named.
  const authorId =
    fields.authorId !== undefined ? fields.authorId : actor.type === 'user' ? Number(actor.id) : null;
  const links = await validateArticleLinks(db, portal, { ...fields, authorId });
  const slug = await slugFor(db, portal, fields);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(helpCenterArticles)
      .values({
        accountId: portal.accountId,
        portalId: portal.id,
        categoryId: fields.categoryId ?? null,
        authorId,
        associatedArticleId: fields.associatedArticleId ?? null,
        title: fields.title?.trim() ?? '',
        slug,
        content: fields.content ?? '',
        description: fields.description ?? null,
        status: fields.status ?? 'draft',
        locale: links.locale,
        position:
          fields.position ??
          sql`(SELECT coalesce(max(position), 0) + 1 FROM help_center_articles
               WHERE account_id = ${portal.accountId} AND portal_id = ${portal.id})`,
        meta: fields.meta ?? {},
      })
      .returning();
    if (!row) throw new Error('article insert returned no row');
    await recordEvent(tx, articleEvents.created, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: articleEventPayload(row),
      actor,
    });
    return row;
  });
}

/** A portal's articles for the dashboard, newest first (drafts and archived included). */
export async function listArticles(
  db: Db,
  portal: PortalRow,
  filter: { locale?: string; categoryId?: number; status?: ArticleStatus; limit?: number } = {},
): Promise<ArticleRow[]> {
  return db
    .select()
    .from(helpCenterArticles)
    .where(
      and(
        inPortal(portal),
        filter.locale === undefined ? undefined : eq(helpCenterArticles.locale, filter.locale),
        filter.categoryId === undefined ? undefined : eq(helpCenterArticles.categoryId, filter.categoryId),
        filter.status === undefined ? undefined : eq(helpCenterArticles.status, filter.status),
      ),
    )
    .orderBy(desc(helpCenterArticles.updatedAt), desc(helpCenterArticles.id))
    .limit(Math.min(filter.limit ?? 100, 500));
}

export async function getArticle(db: Db, portal: PortalRow, id: number): Promise<ArticleRow> {
  const [row] = await db
    .select()
    .from(helpCenterArticles)
    .where(and(inPortal(portal), eq(helpCenterArticles.id, id)));
  if (!row) throw notFound('Article');
  return row;
}

export async function updateArticle(
  db: Db,
  input: { portal: PortalRow; id: number; fields: ArticleFields },
  actor: Actor,
): Promise<ArticleRow> {
  const { portal, fields } = input;
  const current = await getArticle(db, portal, input.id);
  assertPresent('title', fields.title);
  const links = await validateArticleLinks(db, portal, fields, current);
  if (fields.slug !== undefined) {
    assertSlug('slug', fields.slug);
    if (await isSlugTaken(db, portal, fields.slug, current.id)) throw taken('slug');
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(helpCenterArticles)
      .set({
        title: fields.title?.trim(),
        slug: fields.slug,
        content: fields.content,
        description: fields.description,
        status: fields.status,
        locale: links.locale,
        categoryId: fields.categoryId,
        authorId: fields.authorId,
        associatedArticleId: fields.associatedArticleId,
        position: fields.position,
        meta: fields.meta,
        updatedAt: sql`now()`,
      })
      .where(and(inPortal(portal), eq(helpCenterArticles.id, current.id)))
      .returning();
    if (!row) throw notFound('Article');
    await recordEvent(tx, articleEvents.updated, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: articleEventPayload(row),
      actor,
    });
    return row;
  });
}

export async function deleteArticle(db: Db, portal: PortalRow, id: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(helpCenterArticles)
      .where(and(inPortal(portal), eq(helpCenterArticles.id, id)))
      .returning();
    if (!row) throw notFound('Article');
    await recordEvent(tx, articleEvents.deleted, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: articleEventPayload(row),
      actor,
    });
  });
}
