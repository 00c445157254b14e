import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import { authRateLimit } from '../../platform/http/rate-limit.js';
import { authenticate } from '../../platform/http/credentials.js';
import { login } from '../../core/identity/authenticate.js';
import { listMembershipsOfUser } from '../../core/identity/members.js';
import { revokeAccessToken } from '../../core/identity/access-tokens.js';
import { getUser } from '../../core/identity/users.js';
import type { Principal } from '../../core/identity/principal.js';
import { errorBodySchema } from './errors.js';
import { membershipSchema, toUserDto, userSchema } from './users.routes.js';
import {
  clearSessionCookie,
  readSessionCookie,
  requireCsrfHeader,
  SESSION_TOKEN_NAME,
  setSessionCookie,
} from './session-cookie.js';

/**
 * The web app's sign-in and sign-out (see session-cookie.ts). Both routes are public (the face's
 * credential hook skips them) and both demand the CSRF header: signing a victim in to an
 * attacker's account, or out of their own, is forgery too.
 */
export function registerSessionRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/auth/session',
    {
      config: { isPublic: true, rateLimit: authRateLimit(ctx.config) },
      schema: {
        tags: ['auth'],
        summary: 'Sign the web app in: sets the parley_session cookie (send X-Parley-CSRF: 1)',
        body: z.object({ email: z.string().min(1), password: z.string().min(1) }),
        response: {
          200: z.object({ user: userSchema, memberships: z.array(membershipSchema) }),
          401: errorBodySchema,
          403: errorBodySchema,
          422: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      requireCsrfHeader(request);
      const { token, userId } = await login(
        ctx.db,
        request.body,
        SESSION_TOKEN_NAME,
        request.server.tokenPolicy?.now(),
      );
      setSessionCookie(reply, request, ctx.config, token);
      return {
        user: toUserDto(await getUser(ctx.db, userId)),
        memberships: await listMembershipsOfUser(ctx.db, userId),
      };
    },
  );

  app.delete(
    '/v1/auth/session',
    {
      config: { isPublic: true },
      schema: {
        tags: ['auth'],
        summary: "Sign the web app out: revokes the cookie's token and clears the cookie",
        response: { 204: z.null(), 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      const token = readSessionCookie(request);
      if (token) {
        requireCsrfHeader(request);
        const principal = await sessionPrincipal(request, token);
        if (principal?.kind === 'user') {
          await revokeAccessToken(ctx.db, principal.userId, principal.tokenId);
        }
      }
      // Signing out always ends with no cookie, even when its token was already revoked.
      clearSessionCookie(reply, request, ctx.config);
      return reply.status(204).send(null);
    },
  );

  /** The cookie's principal, or null when its token no longer works (nothing left to revoke). */
  async function sessionPrincipal(
    request: Parameters<typeof authenticate>[0],
    token: string,
  ): Promise<Principal | null> {
    try {
      return await authenticate(request, () => token, {
        db: ctx.db,
        platformToken: ctx.config.PARLEY_PLATFORM_TOKEN,
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') return null;
      throw error;
    }
  }
}
