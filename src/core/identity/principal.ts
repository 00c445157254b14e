import type { Actor } from '../../platform/events/outbox.js';
import type { Role } from './identity.tables.js';

/** The HTTP request a principal presented its credentials in, as the server saw it. */
export interface RequestOrigin {
  /** Fastify's `request.ip`: the peer address, or what the proxy says if trustProxy is set. */
  ip: string;
  requestId: string;
}

/**
 * Who a request's credentials belong to, before any account is chosen. `origin` is set where a
 * request authenticates, so the events it causes name the address and request behind them.
 */
export type Principal = (
  | { kind: 'platform' }
  | { kind: 'user'; userId: number; tokenId: number }
  | { kind: 'api_key'; accountId: number; keyId: number; role: Role }
  /** An agent bot's own token; a bot without an account (platform-made) works where it is bound. */
  | { kind: 'agent_bot'; botId: number; accountId: number | null }
) & { origin?: RequestOrigin };

/** A principal admitted to one account, with the role it holds there. */
export interface AccountAccess {
  accountId: number;
  role: Role;
  principal: Principal;
  actor: Actor;
}

export function actorOf(principal: Principal): Actor {
  const origin = principal.origin && { ip: principal.origin.ip, requestId: principal.origin.requestId };
  return { ...identityOf(principal), ...origin };
}

function identityOf(principal: Principal): Actor {
  switch (principal.kind) {
    case 'platform':
      return { type: 'platform' };
    case 'user':
      return { type: 'user', id: principal.userId };
    case 'api_key':
      return { type: 'api_key', id: principal.keyId };
    case 'agent_bot':
      return { type: 'agent_bot', id: principal.botId };
  }
}

export function isAdministrator(access: AccountAccess): boolean {
  return access.role === 'administrator';
}
