import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { authenticate, authorizationHeader } from '../../platform/http/credentials.js';
import { principalKey, RateLimitedError } from '../../platform/http/rate-limit.js';
import { installDixaErrorHandlers } from './errors.js';
import { registerDixaAgentRoutes } from './agents.routes.js';
import { registerDixaTeamRoutes } from './teams.routes.js';
import { registerDixaEndUserRoutes } from './endusers.routes.js';
import { registerDixaCustomAttributeRoutes } from './custom-attributes.routes.js';
import { registerDixaContactEndpointRoutes } from './contact-endpoints.routes.js';
import { registerDixaQueueRoutes } from './queues.routes.js';
import { registerDixaConversationRoutingRoutes } from './conversation-routing.routes.js';
import { registerDixaConversationRoutes } from './conversations.routes.js';
import { registerDixaTagRoutes } from './tags.routes.js';
import { registerDixaActivityLogRoutes } from './activity-log.routes.js';
import { registerDixaSearchRoutes } from './search.routes.js';
import { registerDixaAnonymizationRoutes } from './anonymization.routes.js';
import { registerDixaAnalyticsRoutes } from './analytics.routes.js';
import { registerDixaWebhookRoutes } from './webhooks.routes.js';

// DESIGN.md: `Authorization: <token>`, a `Bearer ` prefix accepted too.
const readToken = authorizationHeader({ isPrefixOptional: true });

/** The Dixa-compatible face under /dixa: `/dixa/v1/...`. */
export async function registerDixaFace(root: TypedApp, ctx: AppContext): Promise<void> {
  await root.register(
    (app, _options, done) => {
      installDixaErrorHandlers(app);
      // Dixa's own budget per token (10 requests per second with a small burst, DESIGN.md), on top of
      // Parley's per-principal limit: a Dixa client that goes faster gets 429 with Retry-After.
      const perToken = app.createRateLimit({
        max: ctx.config.PARLEY_DIXA_RATE_LIMIT_MAX,
        timeWindow: ctx.config.PARLEY_DIXA_RATE_LIMIT_WINDOW_MS,
        keyGenerator: (request: FastifyRequest) =>
          request.principal ? `dixa:${principalKey(request.principal)}` : `dixa:ip:${request.ip}`,
      });
      app.addHook('onRequest', async (request) => {
        request.principal = await authenticate(request, readToken, {
          db: ctx.db,
          platformToken: ctx.config.PARLEY_PLATFORM_TOKEN,
        });
        const limit = await perToken(request);
        if (!limit.isAllowed && limit.isExceeded) {
          throw new RateLimitedError(
            `Rate limit exceeded: ${limit.max} requests per ${limit.timeWindow / 1000} s for this token`,
            limit,
          );
        }
      });
      registerDixaAgentRoutes(app, ctx);
      registerDixaTeamRoutes(app, ctx);
      registerDixaEndUserRoutes(app, ctx);
      registerDixaCustomAttributeRoutes(app, ctx);
      registerDixaContactEndpointRoutes(app, ctx);
      registerDixaQueueRoutes(app, ctx);
      registerDixaConversationRoutingRoutes(app, ctx);
      registerDixaConversationRoutes(app, ctx);
      registerDixaTagRoutes(app, ctx);
      registerDixaActivityLogRoutes(app, ctx);
      registerDixaSearchRoutes(app, ctx);
      registerDixaAnonymizationRoutes(app, ctx);
      registerDixaAnalyticsRoutes(app, ctx);
      registerDixaWebhookRoutes(app, ctx);
      done();
    },
    { prefix: '/dixa' },
  );
}
