import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/errors.js';
import type { Db } from '../../platform/db/database.js';
import { accessAccount } from '../../core/identity/authenticate.js';
import { isAdministrator, type AccountAccess, type Principal } from '../../core/identity/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Routes that need no credentials (login). */
    isPublic?: boolean;
    /** Routes that also take `?access_token=` (WebSocket upgrades from browsers). */
    acceptsQueryToken?: boolean;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('UNAUTHENTICATED', 'Missing credentials');
  return request.principal;
}

/** Admits the caller to the account in the path; administrators only when `isAdminOnly`. */
export async function accountAccess(
  db: Db,
  request: FastifyRequest,
  accountId: number,
  options: { isAdminOnly?: boolean } = {},
): Promise<AccountAccess> {
  const access = await accessAccount(db, principalOf(request), accountId);
  if (options.isAdminOnly && !isAdministrator(access)) {
    throw new DomainError('FORBIDDEN', 'This operation needs the administrator role');
  }
  return access;
}

export function requirePlatform(request: FastifyRequest): void {
  if (principalOf(request).kind !== 'platform') {
    throw new DomainError('FORBIDDEN', 'This operation needs the platform token');
  }
}

export function requireUser(request: FastifyRequest): number {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw new DomainError('FORBIDDEN', 'This operation needs a user token');
  return principal.userId;
}
