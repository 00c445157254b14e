import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accountUsers } from '../identity/identity.tables.js';
import {
  helpCenterArticles,
  helpCenterCategories,
  type ArticleRow,
  type PortalRow,
} from './help-center.tables.js';
import { assertLocale, invalid } from './help-center-rules.js';

interface LinkFields {
  locale?: string | undefined;
  categoryId?: number | null | undefined;
  authorId?: number | null | undefined;
  associatedArticleId?: number | null | undefined;
}

async function categoryLocale(db: Db, portal: PortalRow, categoryId: number): Promise<string> {
  const [category] = await db
    .select({ locale: helpCenterCategories.locale })
    .from(helpCenterCategories)
    .where(
      and(
        eq(helpCenterCategories.accountId, portal.accountId),
        eq(helpCenterCategories.portalId, portal.id),
        eq(helpCenterCategories.id, categoryId),
      ),
    );
  if (!category) throw invalid('category_id', 'is not a category of this portal');
  return category.locale;
}

async function assertAuthor(db: Db, portal: PortalRow, authorId: number): Promise<void> {
  const [member] = await db
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, portal.accountId), eq(accountUsers.userId, authorId)));
  if (!member) throw invalid('author_id', 'is not an agent of this account');
}

async function assertAssociated(
  db: Db,
  portal: PortalRow,
  articleId: number,
  selfId?: number,
): Promise<void> {
  const [row] = await db
    .select({ id: helpCenterArticles.id })
    .from(helpCenterArticles)
    .where(
      and(
        eq(helpCenterArticles.accountId, portal.accountId),
        eq(helpCenterArticles.portalId, portal.id),
        eq(helpCenterArticles.id, articleId),
      ),
    );
  if (!row || articleId === selfId)
    throw invalid('associated_article_id', 'is not an article of this portal');
}

/**
 * Checks an article's references stay inside its portal and account, and settles its locale: the
 * one given, else its category's, else the portal's default (as Chatwoot fills it).
 */
export async function validateArticleLinks(
  db: Db,
  portal: PortalRow,
  fields: LinkFields,
  current?: ArticleRow,
): Promise<{ locale: string }> {
  const categoryId = fields.categoryId !== undefined ? fields.categoryId : (current?.categoryId ?? null);
  const ofCategory = categoryId === null ? undefined : await categoryLocale(db, portal, categoryId);
  const locale = fields.locale ?? ofCategory ?? current?.locale ?? portal.defaultLocale;
  assertLocale('locale', locale);
  if (!portal.allowedLocales.includes(locale))
    throw invalid('locale', 'is not one of the portal\u2019s locales');
  if (ofCategory !== undefined && ofCategory !== locale) {
    throw invalid('locale', `does not match the category's locale (${ofCategory})`);
  }
  if (fields.authorId !== undefined && fields.authorId !== null)
    await assertAuthor(db, portal, fields.authorId);
  if (fields.associatedArticleId !== undefined && fields.associatedArticleId !== null) {
    await assertAssociated(db, portal, fields.associatedArticleId, current?.id);
  }
  return { locale };
}
