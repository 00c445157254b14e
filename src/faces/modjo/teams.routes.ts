import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listCallTeams } from '../../core/calls/call-directory.js';
import { modjoAccess } from './access.js';
import { paginationOf } from './pagination.js';
import { pageQuery, teamsPageResponse } from './schemas.js';

export function registerModjoTeamRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/teams',
    // The seed documents no 2xx body for teams; it mirrors the users page ({pagination, values}).
    {
      schema: {
        tags: ['modjo'],
        summary: 'Get teams',
        querystring: pageQuery,
        response: { 200: teamsPageResponse },
      },
    },
    async (request) => {
      const access = await modjoAccess(ctx, request);
      const { page, perPage } = request.query;
      const result = await listCallTeams(ctx.db, access.accountId, { page, perPage });
      return { pagination: paginationOf(page, perPage, result.total), values: result.items };
    },
  );
}
