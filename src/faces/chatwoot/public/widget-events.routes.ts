import { z } from 'zod';
import { jsonObject } from '../../../platform/http/bounded-json.js';
import type { AppContext } from '../../../platform/app-context.js';
import type { TypedApp } from '../../../platform/http/typed-app.js';
import { triggerWidgetEvent } from '../../../core/public-client/widget-events.js';
import { chatwootErrors } from '../admin-schemas.js';
import { clientOf, contactParams, PUBLIC_BASE } from './public-client.js';

const eventBody = z.object({
  /** Chatwoot's widget sends `webwidget.triggered` when it opens; any page event name is accepted. */
  name: z.string().trim().min(1).max(100),
  event_info: jsonObject().default({}),
});

/**
 * Parley extension of the client API: Chatwoot's own widget posts these to a widget-only route
 * authenticated by a widget JWT; here the visitor is addressed like every other client call, by
 * inbox identifier and contact source id, and the account's `webwidget_triggered` webhooks fire.
 */
export function registerWidgetEventRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    `${PUBLIC_BASE}/contacts/:contact_identifier/events`,
    {
      config: { isPublic: true },
      schema: {
        tags: ['Client API'],
        summary: 'Report a web widget event (webwidget_triggered)',
        params: contactParams,
        body: eventBody,
        response: { 200: z.object({ success: z.literal(true) }), ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      await triggerWidgetEvent(ctx.db, client, {
        name: request.body.name,
        eventInfo: request.body.event_info,
      });
      return { success: true as const };
    },
  );
}
