import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { accountAccess, principalOf } from '../shared/access.js';

/**
 * Admits the caller to the account named in a Chatwoot path. Agent-bot tokens are refused except
 * on the operations Chatwoot lets bots call (`allowsAgentBot`).
 */
export async function chatwootAccess(
  db: Db,
  request: FastifyRequest,
  accountId: number,
  options: { isAdminOnly?: boolean; allowsAgentBot?: boolean } = {},
): Promise<AccountAccess> {
  const principal = principalOf(request);
  if (principal.kind === 'agent_bot' && !options.allowsAgentBot) {
    throw new DomainError('UNAUTHENTICATED', 'Agent bot tokens cannot call this endpoint');
  }
  return accountAccess(db, request, accountId, options.isAdminOnly ? { isAdminOnly: true } : {});
}

/** The platform API answers only to the platform-app token (PARLEY_PLATFORM_TOKEN). */
export function requirePlatformApp(request: FastifyRequest): void {
  if (principalOf(request).kind !== 'platform') {
    throw new DomainError('UNAUTHENTICATED', 'The platform API needs a platform app token');
  }
}
