import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';

/** PostgreSQL's text-search document; read as its text form, never written (it is generated). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const articleStatuses = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

/**
 * A help center. `slug` is unique in the whole instance (as Chatwoot's): the public pages live at
 * `/hc/{slug}` with no account in the path. `allowedLocales` always holds `defaultLocale`.
 */
export const portals = pgTable(
  'portals',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    customDomain: text('custom_domain'),
    color: text('color'),
    headerText: text('header_text'),
    pageTitle: text('page_title'),
    homepageLink: text('homepage_link'),
    allowedLocales: text('allowed_locales')
      .array()
      .notNull()
      .default(sql`'{en}'`),
    defaultLocale: text('default_locale').notNull().default('en'),
    isArchived: boolean('is_archived').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('portals_slug_key').on(table.slug),
    uniqueIndex('portals_custom_domain_key')
      .on(table.customDomain)
      .where(sql`${table.customDomain} IS NOT NULL`),
    index('portals_account_idx').on(table.accountId, table.id),
  ],
);

/** A section of a portal in one locale; its slug is unique per portal and locale. */
export const helpCenterCategories = pgTable(
  'help_center_categories',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    portalId: bigint('portal_id', { mode: 'number' })
      .notNull()
      .references(() => portals.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    locale: text('locale').notNull(),
    description: text('description'),
    icon: text('icon'),
    position: integer('position').notNull().default(0),
    parentCategoryId: bigint('parent_category_id', { mode: 'number' }).references(
      (): AnyPgColumn => helpCenterCategories.id,
      { onDelete: 'set null' },
    ),
    associatedCategoryId: bigint('associated_category_id', { mode: 'number' }).references(
      (): AnyPgColumn => helpCenterCategories.id,
      { onDelete: 'set null' },
    ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('help_center_categories_slug_key').on(table.portalId, table.locale, table.slug),
    index('help_center_categories_account_portal_idx').on(
      table.accountId,
      table.portalId,
      table.locale,
      table.position,
    ),
  ],
);

/**
 * An article in Markdown. `searchTsv` is the full-text document of the public search: 'simple'
 * (no stemming) so every locale is treated alike and people find the words they typed.
 */
export const helpCenterArticles = pgTable(
  'help_center_articles',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    portalId: bigint('portal_id', { mode: 'number' })
      .notNull()
      .references(() => portals.id, { onDelete: 'cascade' }),
    categoryId: bigint('category_id', { mode: 'number' }).references(() => helpCenterCategories.id, {
      onDelete: 'set null',
    }),
    authorId: bigint('author_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    associatedArticleId: bigint('associated_article_id', { mode: 'number' }).references(
      (): AnyPgColumn => helpCenterArticles.id,
      { onDelete: 'set null' },
    ),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    content: text('content').notNull().default(''),
    description: text('description'),
    status: text('status', { enum: articleStatuses }).notNull().default('draft'),
    locale: text('locale').notNull(),
    position: integer('position').notNull().default(0),
    views: integer('views').notNull().default(0),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    searchTsv: tsvector('search_tsv').generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce("title", '') || ' ' || coalesce("description", '') || ' ' || coalesce("content", ''))`,
    ),
  },
  (table) => [
    uniqueIndex('help_center_articles_slug_key').on(table.portalId, table.slug),
    index('help_center_articles_category_idx').on(
      table.accountId,
      table.portalId,
      table.categoryId,
      table.position,
    ),
    // Composite through btree_gin (migration 0017): the account's rows are picked inside the index.
    index('help_center_articles_search_idx').using('gin', table.accountId, table.searchTsv),
  ],
);

export type PortalRow = typeof portals.$inferSelect;
export type CategoryRow = typeof helpCenterCategories.$inferSelect;
export type ArticleRow = typeof helpCenterArticles.$inferSelect;
