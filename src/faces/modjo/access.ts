import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { tokenAccountAccess } from '../shared/token-account.js';

/** Modjo paths do not name the account: the key's account is used. */
export function modjoAccess(
  ctx: AppContext,
  request: FastifyRequest,
  options: { isAdminOnly?: boolean } = {},
): Promise<AccountAccess> {
  return tokenAccountAccess(ctx.db, request, {
    ...options,
    adminOnlyMessage: 'Managing users needs an administrator key',
  });
}
