import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import { DomainError } from '../../platform/errors.js';
import { accessAccount } from '../../core/identity/authenticate.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import { principalOf } from '../shared/access.js';

/**
 * Diabolocom paths do not name the account: the token's account is used, and a user token that
 * belongs to several accounts is refused (DESIGN.md, "One identity").
 */
export async function diabolocomAccess(
  ctx: AppContext,
  request: FastifyRequest,
  options: { isAdminOnly?: boolean } = {},
): Promise<AccountAccess> {
  const access = await accessAccount(ctx.db, principalOf(request), undefined);
  if (options.isAdminOnly && !isAdministrator(access)) {
    throw new DomainError('FORBIDDEN', 'This operation needs an administrator token');
  }
  return access;
}
