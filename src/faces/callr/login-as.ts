import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { RpcError, rpcCodes } from './json-rpc.js';

/**
 * `CALLR-Login-As: user.login <login>` or `account.hash <hash>`: act as one of the caller's own
 * sub-accounts. PLACEHOLDER: owned by the sub-accounts helper.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- placeholder
export async function applyLoginAs(
  _db: Db,
  request: FastifyRequest,
  access: AccountAccess,
): Promise<AccountAccess> {
  const header = request.headers['callr-login-as'];
  if (header === undefined) return access;
  throw new RpcError(rpcCodes.forbidden, 'CALLR-Login-As is not available yet');
}
