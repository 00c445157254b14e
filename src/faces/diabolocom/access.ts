import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { tokenAccountAccess } from '../shared/token-account.js';

/** The token's account: the face's paths do not name one. */
export function diabolocomAccess(
  ctx: AppContext,
  request: FastifyRequest,
  options: { isAdminOnly?: boolean } = {},
): Promise<AccountAccess> {
  return tokenAccountAccess(ctx.db, request, options);
}
