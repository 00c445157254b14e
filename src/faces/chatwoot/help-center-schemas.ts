import { z } from 'zod';
import { articleStatuses, type ArticleStatus } from '../../core/help-center/help-center.tables.js';

/*
 * Request bodies of the seed's Help Center operations. Rails wraps JSON params, so Chatwoot takes
 * `{ name }` and `{ portal: { name } }` alike: the nested form is merged over the flat one. Form
 * bodies arrive as strings, hence the coercions.
 */

const text = (max: number) => z.string().max(max);
const optionalId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional();
const position = z.coerce.number().int().min(0).max(1_000_000).optional();
const formBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((value) => value === true || value === 'true' || value === '1');

/** Chatwoot's enum takes its names or their numbers (0 draft, 1 published, 2 archived). */
const articleStatus = z
  .union([z.enum(articleStatuses), z.coerce.number().int().min(0).max(2)])
  .transform((value): ArticleStatus =>
    typeof value === 'number' ? (articleStatuses[value] ?? 'draft') : value,
  );

const locales = z.union([z.array(text(16)).max(50), text(16).transform((code) => [code])]);

const portalFields = z.object({
  name: text(255).optional(),
  slug: text(255).optional(),
  custom_domain: text(255).optional(),
  color: text(32).optional(),
  header_text: text(1_000).optional(),
  page_title: text(255).optional(),
  homepage_link: text(2_048).optional(),
  archived: formBoolean.optional(),
  config: z.object({ allowed_locales: locales.optional(), default_locale: text(16).optional() }).optional(),
});

const categoryFields = z.object({
  name: text(255).optional(),
  description: text(10_000).optional(),
  position,
  slug: text(255).optional(),
  locale: text(16).optional(),
  icon: text(64).optional(),
  parent_category_id: optionalId,
  associated_category_id: optionalId,
});

const articleFields = z.object({
  title: text(255).optional(),
  slug: text(255).optional(),
  position,
  content: text(500_000).optional(),
  description: text(10_000).optional(),
  category_id: optionalId,
  author_id: optionalId,
  associated_article_id: optionalId,
  status: articleStatus.optional(),
  locale: text(16).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** Seed `portal_create_update_payload`. */
export const portalBodySchema = portalFields
  .extend({ portal: portalFields.optional() })
  .transform(({ portal, ...body }) => ({ ...body, ...portal }));
/** Seed `category_create_update_payload`. */
export const categoryBodySchema = categoryFields
  .extend({ category: categoryFields.optional() })
  .transform(({ category, ...body }) => ({ ...body, ...category }));
/** Seed `article_create_update_payload`. */
export const articleBodySchema = articleFields
  .extend({ article: articleFields.optional() })
  .transform(({ article, ...body }) => ({ ...body, ...article }));

export type PortalBody = z.infer<typeof portalFields>;
