import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { createApiKey, revokeApiKey, type ApiKeyView } from '../../../core/identity/api-keys.js';
import { apiKeys } from '../../../core/identity/identity.tables.js';
import { isAdministrator, type AccountAccess } from '../../../core/identity/principal.js';
import {
  createSession,
  endSessionByToken,
  endSessionsOf,
  listSessions,
  refreshSession,
  sessionOwnerOf,
  type SessionTokens,
} from '../../../core/identity/sessions.js';
import { DomainError, notFound } from '../../../platform/errors.js';
import { readCallrCredential } from '../credentials.js';
import { callrDateTime } from '../formats.js';
import { decodeHash, encodeHash } from '../hash-ids.js';
import { RpcError, rpcCodes } from '../json-rpc.js';
import { defineMethod, param, type RpcCall, type RpcMethod } from '../rpc-method.js';

/** api-key.all answers every live key of the account; accounts hold a handful, this caps a pathological one. */
const API_KEY_LIST_LIMIT = 1000;

function requireAdministrator(access: AccountAccess): void {
  if (!isAdministrator(access)) {
    throw new DomainError('FORBIDDEN', 'Managing API keys needs an administrator');
  }
}

/**
 * CALLR `Authentication.ApiKey`, plus `id` (the hash `api-key.delete` takes: the seed object has
 * no identifier, yet the method needs one). Keys are never renamed, so `updated_at` is the
 * creation time; a key never used has `last_used_at` "".
 */
function toCallrApiKey(key: Pick<ApiKeyView, 'id' | 'name' | 'createdAt' | 'lastUsedAt'>) {
  return {
    created_at: callrDateTime(key.createdAt),
    id: encodeHash('api_key', key.id),
    last_used_at: key.lastUsedAt ? callrDateTime(key.lastUsedAt) : '',
    name: key.name,
    updated_at: callrDateTime(key.createdAt),
  };
}

/** CALLR `Authentication.Session`: the dates are `datetime` strings (UTC). */
function toCallrSession(session: SessionTokens) {
  return {
    refresh_token: session.refreshToken,
    refreshable_until: callrDateTime(session.refreshableUntil),
    token: session.token,
    valid_until: callrDateTime(session.validUntil),
  };
}

/**
 * A session belongs to the account its owner logged into. Under CALLR-Login-As the request acts in
 * a sub-account the owner does not belong to, so sessions are opened without the header (and the
 * header is sent with the session instead).
 */
function sessionScope(call: RpcCall) {
  if (call.request.headers['callr-login-as'] !== undefined) {
    throw new RpcError(
      rpcCodes.invalidRequest,
      'Sessions are opened without CALLR-Login-As; send the header along with the session token instead',
    );
  }
  const owner = sessionOwnerOf(call.access.principal);
  const { principal } = call.access;
  return { accountId: principal.kind === 'api_key' ? principal.accountId : call.access.accountId, owner };
}

const apiKeyHash = z
  .string()
  .regex(/^[0-9A-Fa-f]{8}$/, 'expected an API key id (8 hex digits) from api-key.all');

/** Credentials: account API keys (`api-key.*`) and expiring session tokens (`session.*`). */
export const credentialsMethods: RpcMethod[] = [
  defineMethod({
    name: 'api-key.create',
    params: [param('name', z.string().trim().min(1).max(100))],
    // The secret (`key`) is returned here only; lists show the key without it.
    handler: async (call, [name]) => {
      requireAdministrator(call.access);
      const { principal } = call.access;
      const { apiKey, token } = await createApiKey(
        call.ctx.db,
        {
          accountId: call.access.accountId,
          name,
          role: 'administrator',
          createdByUserId: principal.kind === 'user' ? principal.userId : undefined,
        },
        call.access.actor,
      );
      return { ...toCallrApiKey(apiKey), key: token };
    },
  }),
  defineMethod({
    name: 'api-key.all',
    params: [],
    handler: async (call) => {
      const rows = await call.ctx.db
        .select({
          id: apiKeys.id,
          name: apiKeys.name,
          createdAt: apiKeys.createdAt,
          lastUsedAt: apiKeys.lastUsedAt,
        })
        .from(apiKeys)
        .where(and(eq(apiKeys.accountId, call.access.accountId), isNull(apiKeys.revokedAt)))
        .orderBy(asc(apiKeys.id))
        .limit(API_KEY_LIST_LIMIT);
      return rows.map(toCallrApiKey);
    },
  }),
  defineMethod({
    name: 'api-key.delete',
    params: [param('id', apiKeyHash)],
    // Deleting revokes: the key stops authenticating at once, and so do the sessions it opened.
    handler: async (call, [hash]) => {
      requireAdministrator(call.access);
      const id = decodeHash('api_key', hash);
      if (id === null) throw notFound('API key');
      const [live] = await call.ctx.db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(
          and(eq(apiKeys.accountId, call.access.accountId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)),
        );
      if (!live) throw notFound('API key');
      await revokeApiKey(call.ctx.db, call.access.accountId, id, call.access.actor);
      return undefined;
    },
  }),
  defineMethod({
    name: 'session.create',
    params: [],
    handler: async (call) => toCallrSession(await createSession(call.ctx.db, sessionScope(call))),
  }),
  defineMethod({
    name: 'session.all',
    params: [],
    // The caller's own live sessions. Tokens are stored as digests, so a list shows each token's
    // first characters and no refresh token ("").
    handler: async (call) => {
      const sessions = await listSessions(call.ctx.db, sessionScope(call));
      return sessions.map((session) => ({
        refresh_token: '',
        refreshable_until: callrDateTime(session.refreshableUntil),
        token: session.tokenPrefix,
        valid_until: callrDateTime(session.validUntil),
      }));
    },
  }),
  defineMethod({
    name: 'session.refresh',
    // The refresh token is the credential: a client whose session token expired must still reach this.
    isPublic: true,
    params: [param('refresh_token', z.string().trim().min(1).max(200))],
    handler: async (call, [refreshToken]) =>
      toCallrSession(
        await refreshSession(call.ctx.db, refreshToken, {
          accountId: call.access ? sessionScope({ ...call, access: call.access }).accountId : undefined,
        }),
      ),
  }),
  defineMethod({
    name: 'session.delete',
    params: [],
    // With a Session header: ends that session (log out). Otherwise: ends all of the caller's sessions.
    handler: async (call) => {
      const scope = sessionScope(call);
      const credential = readCallrCredential(call.request);
      if (credential?.scheme === 'session') {
        await endSessionByToken(call.ctx.db, scope.accountId, credential.token);
      } else {
        await endSessionsOf(call.ctx.db, scope);
      }
      return undefined;
    },
  }),
];
