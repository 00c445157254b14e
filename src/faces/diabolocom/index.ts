import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { authenticate, authorizationHeader } from '../../platform/http/credentials.js';
import { installDiabolocomErrorHandlers } from './errors.js';
import { registerDiabolocomCampaignsRoutes } from './campaigns.routes.js';
import { registerDiabolocomWrapupsRoutes } from './wrapups.routes.js';
import { registerDiabolocomLicensesRoutes } from './licenses.routes.js';
import { registerDiabolocomContactsRoutes } from './contacts.routes.js';
import { registerDiabolocomContactSearchRoutes } from './contact-search.routes.js';
import { registerDiabolocomContactBatchesRoutes } from './contact-batches.routes.js';
import { registerDiabolocomRecordingsRoutes } from './recordings.routes.js';

// DESIGN.md: `Authorization: Bearer <token>`.
const readToken = authorizationHeader();

/** The Diabolocom-compatible face under /diabolocom: `/diabolocom/api/v1/...` and `/api/v2/...`. */
export async function registerDiabolocomFace(root: TypedApp, ctx: AppContext): Promise<void> {
  await root.register(
    (app, _options, done) => {
      installDiabolocomErrorHandlers(app);
      app.addHook('onRequest', async (request) => {
        request.principal = await authenticate(request, readToken, {
          db: ctx.db,
          platformToken: ctx.config.PARLEY_PLATFORM_TOKEN,
        });
      });
      registerDiabolocomCampaignsRoutes(app, ctx);
      registerDiabolocomWrapupsRoutes(app, ctx);
      registerDiabolocomLicensesRoutes(app, ctx);
      registerDiabolocomContactsRoutes(app, ctx);
      registerDiabolocomContactSearchRoutes(app, ctx);
      registerDiabolocomContactBatchesRoutes(app, ctx);
      registerDiabolocomRecordingsRoutes(app, ctx);
      done();
    },
    { prefix: '/diabolocom' },
  );
}
