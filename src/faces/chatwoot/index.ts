import multipart from '@fastify/multipart';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { installErrorHandlers } from '../../platform/http/error-handler.js';
import { anyOf, authenticate, authorizationHeader, namedHeader } from '../../platform/http/credentials.js';
import { renderChatwootError } from './errors.js';
import { acceptRailsBodies } from './rails-bodies.js';
import { registerPlatformRoutes } from './platform.routes.js';
import { registerAccountRoutes } from './account.routes.js';
import { registerAgentsRoutes } from './agents.routes.js';
import { registerAgentBotsRoutes } from './agent-bots.routes.js';
import { registerInboxesRoutes } from './inboxes.routes.js';
import { registerTeamsRoutes } from './teams.routes.js';
import { registerCannedResponsesRoutes } from './canned-responses.routes.js';
import { registerWebhooksRoutes } from './webhooks.routes.js';
import { registerContactsRoutes } from './contacts.routes.js';
import { registerCustomAttributesRoutes } from './custom-attributes.routes.js';
import { registerCustomFiltersRoutes } from './custom-filters.routes.js';
import { registerConversationsRoutes } from './conversations.routes.js';
import { registerMessagesRoutes } from './messages.routes.js';
import { registerPublicRoutes } from './public.routes.js';
import { registerTypingRoutes } from './realtime/typing.routes.js';
import { registerWidgetEventRoutes } from './public/widget-events.routes.js';
import { registerGroupsRoutes } from './groups.routes.js';
import { registerAutomationRulesRoutes } from './automation-rules.routes.js';
import { registerScheduledMessagesRoutes } from './scheduled-messages.routes.js';
import { registerIntegrationsRoutes } from './integrations.routes.js';
import { registerAuditLogsRoutes } from './audit-logs.routes.js';
import { registerReportsRoutes } from './reports.routes.js';
import { registerHelpCenterRoutes } from './help-center.routes.js';
import { registerHelpCenterPortalRoutes } from './help-center-portal.routes.js';
import { registerSurveyRoutes } from './survey.routes.js';

// Chatwoot clients send `api_access_token`; proxies that drop underscores pass `api-access-token`.
const readToken = anyOf(
  namedHeader('api_access_token'),
  namedHeader('api-access-token'),
  authorizationHeader(),
);

export const CHATWOOT_ATTACHMENT_MAX_BYTES = 40 * 1024 * 1024;

/** The Chatwoot-compatible face under /chatwoot: application, platform and public client APIs. */
export async function registerChatwootFace(root: TypedApp, ctx: AppContext): Promise<void> {
  await root.register(
    async (app) => {
      installErrorHandlers(app, renderChatwootError);
      await app.register(multipart, {
        limits: { fileSize: CHATWOOT_ATTACHMENT_MAX_BYTES, files: 10, fields: 200 },
      });
      await acceptRailsBodies(app);
      if (ctx.config.PARLEY_CHECK_CHATWOOT_RESPONSES) {
        // Loaded only when asked: the derived seed is test tooling, not something a server carries.
        const { guardSeedResponses } = await import('./seed/response-guard.js');
        guardSeedResponses(app);
      }
      app.addHook('onRequest', async (request) => {
        if (request.routeOptions.config.isPublic) return;
        request.principal = await authenticate(request, readToken, {
          db: ctx.db,
          platformToken: ctx.config.PARLEY_PLATFORM_TOKEN,
        });
      });
      registerPlatformRoutes(app, ctx);
      registerAccountRoutes(app, ctx);
      registerAgentsRoutes(app, ctx);
      registerAgentBotsRoutes(app, ctx);
      registerInboxesRoutes(app, ctx);
      registerTeamsRoutes(app, ctx);
      registerCannedResponsesRoutes(app, ctx);
      registerWebhooksRoutes(app, ctx);
      registerContactsRoutes(app, ctx);
      registerCustomAttributesRoutes(app, ctx);
      registerCustomFiltersRoutes(app, ctx);
      registerConversationsRoutes(app, ctx);
      registerMessagesRoutes(app, ctx);
      registerPublicRoutes(app, ctx);
      registerTypingRoutes(app, ctx);
      registerWidgetEventRoutes(app, ctx);
      registerGroupsRoutes(app, ctx);
      registerAutomationRulesRoutes(app, ctx);
      registerScheduledMessagesRoutes(app, ctx);
      registerIntegrationsRoutes(app, ctx);
      registerAuditLogsRoutes(app, ctx);
      registerReportsRoutes(app, ctx);
      registerHelpCenterRoutes(app, ctx);
      registerHelpCenterPortalRoutes(app, ctx);
      registerSurveyRoutes(app, ctx);
    },
    { prefix: '/chatwoot' },
  );
}
