import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { installErrorHandlers } from '../../platform/http/error-handler.js';
import { installIdempotency } from '../../platform/http/idempotency.js';
import {
  accessTokenQuery,
  anyOf,
  authenticate,
  authorizationHeader,
} from '../../platform/http/credentials.js';
import { registerNativeNumberRoutes } from './numbers.routes.js';
import { registerNativeAuthorizedCliRoutes } from './authorized-clis.routes.js';
import { registerNativeBillingRoutes } from './billing.routes.js';
import { renderNativeError } from './errors.js';
import { registerAccountRoutes } from './accounts.routes.js';
import { registerUserRoutes } from './users.routes.js';
import { registerSessionRoutes } from './session.routes.js';
import { orSessionCookie } from './session-cookie.js';
import { registerMemberRoutes } from './members.routes.js';
import { registerInvitationRoutes } from './invitations.routes.js';
import { registerApiKeyRoutes } from './api-keys.routes.js';
import { registerEventRoutes } from './events.routes.js';
import { registerJobRoutes } from './jobs.routes.js';
import { registerWebhookRoutes } from './webhooks.routes.js';
import { registerRealtimeRoutes } from './realtime.routes.js';
import { registerSsoRoutes } from './sso.routes.js';
import { registerCallRoutes } from './calls.routes.js';
import { registerConversationRatingRoutes } from './conversation-ratings.routes.js';
import { registerCsatSurveyRoutes } from './csat-survey.routes.js';
import { registerBanRoutes } from './bans.routes.js';
import { registerNativeCampaignRoutes } from './campaigns.routes.js';
import { registerNativeDialerRoutes } from './dialer.routes.js';
import { registerNativeCampaignContactRoutes } from './campaign-contacts.routes.js';
import { registerNativeDoNotCallRoutes } from './do-not-call.routes.js';
import { registerNativeRoutingQueueRoutes } from './routing-queues.routes.js';
import { registerNativeRoutingQueueSettingsRoutes } from './routing-queue-settings.routes.js';
import { registerNativeRoutingQueueMemberRoutes } from './routing-queue-members.routes.js';
import { registerNativeRoutingPresenceRoutes } from './routing-presence.routes.js';
import { registerNativeTelephonyRoutes } from './telephony.routes.js';
import { registerNativeReportRoutes } from './reports.routes.js';
import { registerNativeConversationRoutes } from './conversations.routes.js';
import { registerNativeMessageRoutes } from './messages.routes.js';
import { registerNativeContactRoutes } from './contacts.routes.js';
import { registerNativeInboxListRoutes } from './inbox-lists.routes.js';
import { registerNativeSettingsInboxRoutes } from './settings-inboxes.routes.js';
import { registerNativeSettingsCatalogueRoutes } from './settings-catalogues.routes.js';
import { registerNativeSettingsCustomAttributeRoutes } from './settings-custom-attributes.routes.js';
import { registerNativeSettingsMemberRoutes } from './settings-members.routes.js';

/**
 * Parley's own API under /api: bearer tokens (or the web app's session cookie), camelCase JSON,
 * keyset pages, one error body.
 */
export async function registerNativeFace(root: TypedApp, ctx: AppContext): Promise<void> {
  // A Bearer header (or `?access_token=`) wins over the cookie when both are sent.
  const readToken = orSessionCookie(authorizationHeader(), ctx.config);
  const readTokenOrQuery = orSessionCookie(anyOf(authorizationHeader(), accessTokenQuery), ctx.config);
  await root.register(
    (app, _options, done) => {
      installErrorHandlers(app, renderNativeError);
      app.addHook('onRequest', async (request) => {
        if (request.routeOptions.config.isPublic) return;
        const reader = request.routeOptions.config.acceptsQueryToken ? readTokenOrQuery : readToken;
        request.principal = await authenticate(request, reader, {
          db: ctx.db,
          platformToken: ctx.config.PARLEY_PLATFORM_TOKEN,
        });
      });
      // Idempotency-Key on POSTs; the routes get a database that fences keyed writes.
      const routesCtx = installIdempotency(app, ctx);
      registerUserRoutes(app, routesCtx);
      registerSessionRoutes(app, routesCtx);
      registerAccountRoutes(app, routesCtx);
      registerMemberRoutes(app, routesCtx);
      registerInvitationRoutes(app, routesCtx);
      registerApiKeyRoutes(app, routesCtx);
      registerEventRoutes(app, routesCtx);
      registerJobRoutes(app, routesCtx);
      registerWebhookRoutes(app, routesCtx);
      registerRealtimeRoutes(app, routesCtx);
      registerSsoRoutes(app, routesCtx);
      registerCallRoutes(app, routesCtx);
      registerConversationRatingRoutes(app, routesCtx);
      registerCsatSurveyRoutes(app, routesCtx);
      registerBanRoutes(app, routesCtx);
      registerNativeCampaignRoutes(app, routesCtx);
      registerNativeDialerRoutes(app, routesCtx);
      registerNativeCampaignContactRoutes(app, routesCtx);
      registerNativeDoNotCallRoutes(app, routesCtx);
      registerNativeRoutingQueueRoutes(app, routesCtx);
      registerNativeRoutingQueueSettingsRoutes(app, routesCtx);
      registerNativeRoutingQueueMemberRoutes(app, routesCtx);
      registerNativeRoutingPresenceRoutes(app, routesCtx);
      registerNativeNumberRoutes(app, routesCtx);
      registerNativeAuthorizedCliRoutes(app, routesCtx);
      registerNativeBillingRoutes(app, routesCtx);
      registerNativeTelephonyRoutes(app, routesCtx);
      registerNativeReportRoutes(app, routesCtx);
      registerNativeConversationRoutes(app, routesCtx);
      registerNativeMessageRoutes(app, routesCtx);
      registerNativeContactRoutes(app, routesCtx);
      registerNativeInboxListRoutes(app, routesCtx);
      registerNativeSettingsInboxRoutes(app, routesCtx);
      registerNativeSettingsCatalogueRoutes(app, routesCtx);
      registerNativeSettingsCustomAttributeRoutes(app, routesCtx);
      registerNativeSettingsMemberRoutes(app, routesCtx);
      done();
    },
    { prefix: '/api' },
  );
}
