import { and, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Revocation } from '../../platform/realtime/revocations.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { accessTokens, accounts, accountUsers, apiKeys } from './identity.tables.js';
import type { AccountAccess } from './principal.js';
import { isExpiredWebSession, tokenAgeColumns, type TokenPolicy } from './web-sessions.js';

/**
 * Whether a revocation ends an access that was granted earlier (to a long-lived connection). The
 * database announces revocations (migration `access_revocation_notices`); this says which admitted
 * credentials they hit.
 */
export function isAccessEndedBy(access: AccountAccess, revocation: Revocation): boolean {
  const { principal } = access;
  switch (revocation.kind) {
    case 'account':
      return access.accountId === revocation.accountId;
    case 'access_token':
      return principal.kind === 'user' && principal.tokenId === revocation.tokenId;
    case 'user':
      return principal.kind === 'user' && principal.userId === revocation.userId;
    case 'membership':
      return (
        principal.kind === 'user' &&
        principal.userId === revocation.userId &&
        access.accountId === revocation.accountId
      );
    case 'api_key':
      return (
        principal.kind === 'api_key' &&
        principal.keyId === revocation.keyId &&
        principal.accountId === revocation.accountId
      );
    case 'agent_bot':
      return principal.kind === 'agent_bot' && principal.botId === revocation.botId;
  }
}

const pair = (first: number, second: number): string => `${first}:${second}`;

/**
 * Of the given accesses, those that would no longer be granted: the safety net behind the
 * announcements, for a notice a node missed. A handful of queries however many accesses are given.
 * A bot whose token was replaced is caught only by the announcement (the hash is not kept here).
 */
export async function findEndedAccess(
  db: Db,
  accesses: readonly AccountAccess[],
  /** With it, a web session past its idle or absolute limit has ended too. */
  policy?: TokenPolicy,
): Promise<Set<AccountAccess>> {
  const ended = new Set<AccountAccess>();
  if (accesses.length === 0) return ended;
  const accountIds = unique(accesses.map((access) => access.accountId));
  const users = accesses.flatMap(({ principal }) => (principal.kind === 'user' ? [principal] : []));
  const keys = accesses.flatMap(({ principal }) => (principal.kind === 'api_key' ? [principal] : []));
  const bots = accesses.flatMap(({ principal }) => (principal.kind === 'agent_bot' ? [principal] : []));
  const [liveAccounts, liveTokens, memberships, liveKeys, liveBots, boundBots] = await Promise.all([
    db.select({ id: accounts.id }).from(accounts).where(inArray(accounts.id, accountIds)),
    users.length === 0
      ? []
      : db
          .select({
            id: accessTokens.id,
            userId: accessTokens.userId,
            ...tokenAgeColumns,
          })
          .from(accessTokens)
          .where(
            and(
              inArray(accessTokens.id, unique(users.map((user) => user.tokenId))),
              isNull(accessTokens.revokedAt),
            ),
          ),
    users.length === 0
      ? []
      : db
          .select({ accountId: accountUsers.accountId, userId: accountUsers.userId })
          .from(accountUsers)
          .where(
            and(
              inArray(accountUsers.accountId, accountIds),
              inArray(accountUsers.userId, unique(users.map((user) => user.userId))),
            ),
          ),
    keys.length === 0
      ? []
      : db
          .select({ accountId: apiKeys.accountId, id: apiKeys.id })
          .from(apiKeys)
          .where(
            and(
              inArray(apiKeys.accountId, unique(keys.map((key) => key.accountId))),
              inArray(apiKeys.id, unique(keys.map((key) => key.keyId))),
              isNull(apiKeys.revokedAt),
            ),
          ),
    bots.length === 0
      ? []
      : db
          .select({ id: agentBots.id, accountId: agentBots.accountId })
          .from(agentBots)
          .where(inArray(agentBots.id, unique(bots.map((bot) => bot.botId)))),
    bots.length === 0
      ? []
      : db
          .selectDistinct({ botId: inboxes.agentBotId, accountId: inboxes.accountId })
          .from(inboxes)
          .where(
            and(
              inArray(inboxes.accountId, accountIds),
              inArray(inboxes.agentBotId, unique(bots.map((bot) => bot.botId))),
            ),
          ),
  ]);
  const accountSet = new Set(liveAccounts.map((row) => row.id));
  const tokenSet = new Set(
    liveTokens
      .filter((row) => !policy || !isExpiredWebSession(row, policy))
      .map((row) => pair(row.userId, row.id)),
  );
  const membershipSet = new Set(memberships.map((row) => pair(row.accountId, row.userId)));
  const keySet = new Set(liveKeys.map((row) => pair(row.accountId, row.id)));
  const botAccounts = new Map(liveBots.map((row) => [row.id, row.accountId]));
  const bindingSet = new Set(boundBots.map((row) => pair(row.accountId, row.botId ?? 0)));

  for (const access of accesses) {
    const { principal, accountId } = access;
    let isLive = accountSet.has(accountId);
    if (principal.kind === 'user') {
      isLive &&=
        tokenSet.has(pair(principal.userId, principal.tokenId)) &&
        membershipSet.has(pair(accountId, principal.userId));
    } else if (principal.kind === 'api_key') {
      isLive &&= keySet.has(pair(principal.accountId, principal.keyId));
    } else if (principal.kind === 'agent_bot') {
      const botAccount = botAccounts.get(principal.botId);
      // A bot of its own account acts there; a platform-made bot only where an inbox uses it.
      isLive &&=
        botAccount !== undefined &&
        (botAccount === null ? bindingSet.has(pair(accountId, principal.botId)) : botAccount === accountId);
    }
    if (!isLive) ended.add(access);
  }
  return ended;
}

function unique(values: number[]): number[] {
  return [...new Set(values)];
}
