import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import {
  findSubAccount,
  subAccountStateOf,
  type SubAccountRef,
} from '../../core/sub-accounts/sub-accounts.js';
import { decodeHash } from './hash-ids.js';
import { RpcError, rpcCodes } from './json-rpc.js';

export const LOGIN_AS_HEADER = 'callr-login-as';

/** `user.login <login>` or `account.hash <hash>` (callr.methods.md, "Transport"), as a sub-account reference. */
export function parseLoginAs(value: string): SubAccountRef {
  const match = /^\s*(user\.login|account\.hash)\s+(\S+)\s*$/i.exec(value);
  const kind = match?.[1]?.toLowerCase();
  const target = match?.[2];
  if (kind === undefined || target === undefined) {
    throw new RpcError(
      rpcCodes.invalidRequest,
      'CALLR-Login-As must be "user.login <login>" or "account.hash <hash>"',
    );
  }
  if (kind === 'user.login') return { login: target };
  const accountId = decodeHash('account', target);
  // An id that is no hash names no sub-account: the same answer as another parent's.
  if (accountId === null) throw new RpcError(rpcCodes.notFound, 'Sub-account not found');
  return { accountId };
}

/**
 * Runs on every CALLR request once the caller is known. Without the header, a disabled
 * sub-account's own credentials are refused (its parent switched it off). With
 * `CALLR-Login-As`, an administrator of the parent acts as administrator of one of its own
 * enabled sub-accounts; any other account (another parent's child, a sibling, the parent itself)
 * answers not found, so their existence does not leak.
 */
export async function applyLoginAs(
  db: Db,
  request: FastifyRequest,
  access: AccountAccess,
): Promise<AccountAccess> {
  const header = request.headers[LOGIN_AS_HEADER];
  if (header === undefined) {
    const own = await subAccountStateOf(db, access.accountId);
    if (own?.disabled) {
      throw new RpcError(
        rpcCodes.forbidden,
        'This sub-account is disabled; its parent account can enable it',
      );
    }
    return access;
  }
  if (typeof header !== 'string') {
    throw new RpcError(rpcCodes.invalidRequest, 'Send CALLR-Login-As once');
  }
  const ref = parseLoginAs(header);
  if (!isAdministrator(access)) {
    throw new RpcError(rpcCodes.forbidden, 'Only an administrator can act as a sub-account');
  }
  const child = await findSubAccount(db, access.accountId, ref);
  if (!child || child.archived) throw new RpcError(rpcCodes.notFound, 'Sub-account not found');
  if (child.disabled) {
    throw new RpcError(rpcCodes.forbidden, 'This sub-account is disabled; enable it to act as it');
  }
  return {
    accountId: child.accountId,
    role: 'administrator',
    principal: access.principal,
    actor: access.actor,
  };
}
