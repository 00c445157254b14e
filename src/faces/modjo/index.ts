import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { authenticate, namedHeader } from '../../platform/http/credentials.js';
import { installModjoErrorHandlers } from './errors.js';
import { registerModjoCallRoutes } from './calls.routes.js';
import { registerModjoUserRoutes } from './users.routes.js';
import { registerModjoTeamRoutes } from './teams.routes.js';

const readToken = namedHeader('x-api-key');

/** The Modjo-compatible face under /modjo: calls upload and export, users and teams. */
export async function registerModjoFace(root: TypedApp, ctx: AppContext): Promise<void> {
  await root.register(
    (app, _options, done) => {
      installModjoErrorHandlers(app);
      app.addHook('onRequest', async (request) => {
        request.principal = await authenticate(request, readToken, {
          db: ctx.db,
          platformToken: ctx.config.PARLEY_PLATFORM_TOKEN,
        });
      });
      registerModjoCallRoutes(app, ctx);
      registerModjoUserRoutes(app, ctx);
      registerModjoTeamRoutes(app, ctx);
      done();
    },
    { prefix: '/modjo' },
  );
}
