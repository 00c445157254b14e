import { and, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { apiKeys, users } from '../identity/identity.tables.js';

/** Who did it, as `audited` names them: a user type (Chatwoot's class), an id and a readable name. */
export interface AuditUser {
  userType: string | null;
  userId: number | null;
  username: string | null;
}

export interface AuditPeople {
  emails: Map<number, string>;
  apiKeyNames: Map<string, string>;
}

const actorTypes: Record<string, string> = {
  user: 'User',
  api_key: 'ApiKey',
  agent_bot: 'AgentBot',
  platform: 'PlatformApp',
};

function actorIdOf(event: EventRow): number | null {
  const id = event.actor?.id;
  const number = typeof id === 'string' ? Number(id) : id;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : null;
}

/** The emails of the users and the names of the API keys behind a batch: two queries at most. */
export async function loadAuditUsers(tx: Db, events: EventRow[]): Promise<AuditPeople> {
  const userIds = new Set<number>();
  const keys = new Map<string, { accountId: number; id: number }>();
  for (const event of events) {
    const id = actorIdOf(event);
    if (id === null) continue;
    if (event.actor?.type === 'user') userIds.add(id);
    if (event.actor?.type === 'api_key')
      keys.set(`${event.accountId}:${id}`, { accountId: event.accountId, id });
  }
  const emails = new Map<number, string>();
  if (userIds.size > 0) {
    const rows = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(users.id, [...userIds]));
    for (const row of rows) emails.set(row.id, row.email);
  }
  const apiKeyNames = new Map<string, string>();
  if (keys.size > 0) {
    const rows = await tx
      .select({ accountId: apiKeys.accountId, id: apiKeys.id, name: apiKeys.name })
      .from(apiKeys)
      .where(
        or(
          ...[...keys.values()].map((key) =>
            and(eq(apiKeys.accountId, key.accountId), eq(apiKeys.id, key.id)),
          ),
        ),
      );
    for (const row of rows) apiKeyNames.set(`${row.accountId}:${row.id}`, row.name);
  }
  return { emails, apiKeyNames };
}

export function auditUserOf(event: EventRow, people: AuditPeople): AuditUser {
  const type = typeof event.actor?.type === 'string' ? actorTypes[event.actor.type] : undefined;
  if (!type) return { userType: null, userId: null, username: null };
  const userId = actorIdOf(event);
  const username =
    userId === null
      ? null
      : type === 'User'
        ? (people.emails.get(userId) ?? null)
        : type === 'ApiKey'
          ? (people.apiKeyNames.get(`${event.accountId}:${userId}`) ?? null)
          : null;
  return { userType: type, userId, username };
}
