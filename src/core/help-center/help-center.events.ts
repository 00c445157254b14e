import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { ArticleRow, CategoryRow, PortalRow } from './help-center.tables.js';

/* Snapshots carry what an audit trail needs to say what changed; article bodies stay out (size). */

const portalPayload = z.object({
  id: z.number(),
  name: z.string(),
  slug: z.string(),
  customDomain: z.string().nullable(),
  allowedLocales: z.array(z.string()),
  defaultLocale: z.string(),
  isArchived: z.boolean(),
});

const categoryPayload = z.object({
  id: z.number(),
  portalId: z.number(),
  name: z.string(),
  slug: z.string(),
  locale: z.string(),
  position: z.number(),
});

const articlePayload = z.object({
  id: z.number(),
  portalId: z.number(),
  categoryId: z.number().nullable(),
  authorId: z.number().nullable(),
  title: z.string(),
  slug: z.string(),
  status: z.string(),
  locale: z.string(),
});

export function portalEventPayload(row: PortalRow): z.infer<typeof portalPayload> {
  const { id, name, slug, customDomain, allowedLocales, defaultLocale, isArchived } = row;
  return { id, name, slug, customDomain, allowedLocales, defaultLocale, isArchived };
}

export function categoryEventPayload(row: CategoryRow): z.infer<typeof categoryPayload> {
  const { id, portalId, name, slug, locale, position } = row;
  return { id, portalId, name, slug, locale, position };
}

export function articleEventPayload(row: ArticleRow): z.infer<typeof articlePayload> {
  const { id, portalId, categoryId, authorId, title, slug, status, locale } = row;
  return { id, portalId, categoryId, authorId, title, slug, status, locale };
}

function helpCenterEvents<T extends Record<string, unknown>>(
  noun: 'portal' | 'category' | 'article',
  payloadSchema: z.ZodType<T>,
) {
  const define = (verb: 'created' | 'updated' | 'deleted') =>
    defineEvent({
      type: `${noun}.${verb}`,
      aggregateType: noun,
      version: 1,
      description: `A help center ${noun} was ${verb}.`,
      payloadSchema,
    });
  return { created: define('created'), updated: define('updated'), deleted: define('deleted') };
}

/** A help center portal was created, changed (archived included) or deleted. */
export const portalEvents = helpCenterEvents('portal', portalPayload);
/** A help center category was created, changed or deleted. */
export const categoryEvents = helpCenterEvents('category', categoryPayload);
/** A help center article was created, changed (published, archived) or deleted. */
export const articleEvents = helpCenterEvents('article', articlePayload);
