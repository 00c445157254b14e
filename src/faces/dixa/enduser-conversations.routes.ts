import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listEndUserConversations } from '../../core/contacts/end-user-conversations.js';
import { dixaAccess } from './access.js';
import { dixaConversationSchema, loadDixaConversations } from './conversation-serializer.js';
import { keysetPosition } from './enduser-pages.js';
import { DEFAULT_PAGE_LIMIT, pageMeta, pageQuerySchema } from './pagination.js';
import { uuidParams } from './schemas.js';

/** GET /v1/endusers/{userId}/conversations: seed `ListEndUserConversationsOutput`. */
export function registerDixaEndUserConversationRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/endusers/:userId/conversations',
    {
      schema: {
        tags: ['Dixa end users'],
        summary: 'List the conversations an end user requested',
        params: uuidParams('userId'),
        querystring: pageQuerySchema,
        response: {
          200: z.object({
            data: z.array(dixaConversationSchema),
            meta: z.object({ next: z.string().optional(), previous: z.string().optional() }),
          }),
        },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const page = await listEndUserConversations(ctx.db, {
        accountId,
        uuid: request.params.userId,
        limit: request.query.pageLimit ?? DEFAULT_PAGE_LIMIT,
        position: keysetPosition(request.query.pageKey),
      });
      return {
        data: await loadDixaConversations(ctx.db, accountId, page.items),
        meta: pageMeta(request, page),
      };
    },
  );
}
