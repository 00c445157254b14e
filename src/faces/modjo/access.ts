import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import { DomainError } from '../../platform/errors.js';
import { accessAccount } from '../../core/identity/authenticate.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import { principalOf } from '../shared/access.js';

/** Modjo paths do not name the account: the key's account is used. */
export async function modjoAccess(
  ctx: AppContext,
  request: FastifyRequest,
  options: { isAdminOnly?: boolean } = {},
): Promise<AccountAccess> {
  const access = await accessAccount(ctx.db, principalOf(request), undefined);
  if (options.isAdminOnly && !isAdministrator(access)) {
    throw new DomainError('FORBIDDEN', 'Managing users needs an administrator key');
  }
  return access;
}
