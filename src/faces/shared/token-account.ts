import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { accessAccount } from '../../core/identity/authenticate.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import { principalOf } from './access.js';

/**
 * For faces whose paths do not name the account (Dixa, Modjo, Diabolocom): the token's account is
 * used, and a user token that belongs to several accounts is refused (DESIGN.md, "One identity").
 */
export async function tokenAccountAccess(
  db: Db,
  request: FastifyRequest,
  options: { isAdminOnly?: boolean; adminOnlyMessage?: string } = {},
): Promise<AccountAccess> {
  const access = await accessAccount(db, principalOf(request), undefined);
  if (options.isAdminOnly && !isAdministrator(access)) {
    throw new DomainError(
      'FORBIDDEN',
      options.adminOnlyMessage ?? 'This operation needs an administrator token',
    );
  }
  return access;
}
