import type { Actor } from '../../platform/events/outbox.js';
import type { Role } from './identity.tables.js';

/** Who a request's credentials belong to, before any account is chosen. */
export type Principal =
  | { kind: 'platform' }
  | { kind: 'user'; userId: number; tokenId: number }
  | { kind: 'api_key'; accountId: number; keyId: number; role: Role }
  /** An agent bot's own token; a bot without an account (platform-made) works where it is bound. */
  | { kind: 'agent_bot'; botId: number; accountId: number | null };

/** A principal admitted to one account, with the role it holds there. */
export interface AccountAccess {
  accountId: number;
  role: Role;
  principal: Principal;
  actor: Actor;
}

export function actorOf(principal: Principal): Actor {
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
