import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { authRateLimit } from '../../platform/http/rate-limit.js';
import { getUser } from '../../core/identity/users.js';
import { redeemSsoLoginToken } from '../../core/identity/sso.js';
import { errorBodySchema } from './errors.js';
import { toUserDto, userSchema } from './users.routes.js';

/** Where the web app's `/app/login?email=…&sso_auth_token=…` link (issued by the platform API) signs in. */
export function registerSsoRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/auth/sso',
    {
      config: { isPublic: true, rateLimit: authRateLimit(ctx.config) },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a single-use sign-in link token for a personal access token',
        body: z.object({ email: z.string().min(1).max(320), ssoAuthToken: z.string().min(1).max(200) }),
        response: {
          200: z.object({ token: z.string(), user: userSchema }),
          401: errorBodySchema,
          422: errorBodySchema,
        },
      },
    },
    async (request) => {
      const session = await redeemSsoLoginToken(ctx.db, {
        email: request.body.email,
        token: request.body.ssoAuthToken,
      });
      return { token: session.token, user: toUserDto(await getUser(ctx.db, session.userId)) };
    },
  );
}
