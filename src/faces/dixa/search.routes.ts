import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { searchConversations, type ConversationHit } from '../../core/search/search-conversations.js';
import { dixaAccess } from './access.js';
import { decodePageKey, DEFAULT_PAGE_LIMIT, pageMeta, pageQuerySchema } from './pagination.js';

const booleanQuery = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const searchQuerySchema = pageQuerySchema.extend({
  query: z.string().trim().min(1, 'must not be empty').max(1000),
  exactMatch: booleanQuery.optional(),
});

// ConversationSearchHit: id is the conversation's int64 id (its per-account number), highlights
// Map_Vector_String, an inner hit's id a message uuid and its highlight Map_String.
const conversationSearchHitSchema = z.object({
  id: z.number().int(),
  highlights: z.record(z.string(), z.array(z.string())),
  innerHits: z.array(z.object({ id: z.string(), highlight: z.record(z.string(), z.string()) })).optional(),
});

const searchOutputSchema = z.object({
  data: z.array(conversationSearchHitSchema),
  meta: z.object({ next: z.string().optional(), previous: z.string().optional() }),
});

/**
 * The seed does not say which keys the highlight maps use; Parley names the field that matched,
 * `content` (a message's text), the same key on the conversation and on its inner hits.
 */
const HIGHLIGHT_FIELD = 'content';

function toSearchHit(hit: ConversationHit): z.infer<typeof conversationSearchHitSchema> {
  return {
    id: hit.displayId,
    highlights: { [HIGHLIGHT_FIELD]: hit.messageHits.map((message) => message.highlight) },
    innerHits: hit.messageHits.map((message) => ({
      id: message.messageUuid,
      highlight: { [HIGHLIGHT_FIELD]: message.highlight },
    })),
  };
}

/** Full-text search over conversations. */
export function registerDixaSearchRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/search/conversations',
    {
      schema: {
        tags: ['dixa'],
        summary: 'Search for conversations containing a particular text',
        querystring: searchQuerySchema,
        response: { 200: searchOutputSchema },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const { query, exactMatch, pageLimit, pageKey } = request.query;
      const key = decodePageKey(pageKey, z.number().int().positive());
      const page = await searchConversations(ctx.db, {
        accountId: access.accountId,
        text: query,
        isExactMatch: exactMatch ?? false,
        limit: pageLimit ?? DEFAULT_PAGE_LIMIT,
        after: key && { conversationId: key.cursor, direction: key.direction },
      });
      return {
        data: page.hits.map(toSearchHit),
        meta: pageMeta(request, { next: page.next, previous: page.previous }),
      };
    },
  );
}
