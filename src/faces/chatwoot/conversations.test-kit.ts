import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { injector, type TestApp } from '../../testing/app.js';
import { accountUsers, users } from '../../core/identity/identity.tables.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';
import { inboxMembers, inboxes } from '../../core/inboxes/inboxes.tables.js';
import { contactInboxes, contacts } from '../../core/contacts/contacts.tables.js';
import { teamMembers, teams } from '../../core/teams/teams.tables.js';
import { conversations, type ConversationRow } from '../../core/conversations/conversations.tables.js';

/** Small factories for the conversation and message tests: rows with sane defaults. */

export async function seedAgent(
  app: TestApp,
  accountId: number,
  options: {
    name?: string;
    availability?: 'online' | 'busy' | 'offline';
    role?: 'agent' | 'administrator';
  } = {},
): Promise<{ userId: number; token: string; name: string }> {
  const db = app.parley.ctx.db;
  const name = options.name ?? `Agent ${randomUUID().slice(0, 6)}`;
  const [user] = await db
    .insert(users)
    .values({ name, email: `${randomUUID()}@example.com` })
    .returning({ id: users.id });
  if (!user) throw new Error('no user');
  await db.insert(accountUsers).values({
    accountId,
    userId: user.id,
    role: options.role ?? 'agent',
    availability: options.availability ?? 'online',
  });
  const { token } = await createAccessToken(db, { userId: user.id, name: 'test' });
  return { userId: user.id, token, name };
}

export async function seedInbox(
  app: TestApp,
  accountId: number,
  options: {
    name?: string;
    memberIds?: number[];
    enableAutoAssignment?: boolean;
    maxAssignmentLimit?: number | null;
  } = {},
): Promise<number> {
  const db = app.parley.ctx.db;
  const [inbox] = await db
    .insert(inboxes)
    .values({
      accountId,
      name: options.name ?? 'Support',
      channelType: 'api',
      identifier: randomUUID(),
      enableAutoAssignment: options.enableAutoAssignment ?? false,
      autoAssignmentConfig: { maxAssignmentLimit: options.maxAssignmentLimit ?? null },
    })
    .returning({ id: inboxes.id });
  if (!inbox) throw new Error('no inbox');
  if (options.memberIds?.length) {
    await db
      .insert(inboxMembers)
      .values(options.memberIds.map((userId) => ({ accountId, inboxId: inbox.id, userId })));
  }
  return inbox.id;
}

export async function seedContact(
  app: TestApp,
  accountId: number,
  options: { name?: string; email?: string } = {},
): Promise<number> {
  const [contact] = await app.parley.ctx.db
    .insert(contacts)
    .values({ accountId, name: options.name ?? 'Jane Doe', email: options.email ?? null })
    .returning({ id: contacts.id });
  if (!contact) throw new Error('no contact');
  return contact.id;
}

export async function seedContactInbox(
  app: TestApp,
  accountId: number,
  contactId: number,
  inboxId: number,
  sourceId: string,
): Promise<void> {
  await app.parley.ctx.db
    .insert(contactInboxes)
    .values({ accountId, contactId, inboxId, sourceId, pubsubToken: randomUUID() });
}

export async function seedTeam(
  app: TestApp,
  accountId: number,
  memberIds: number[],
  options: { name?: string; allowAutoAssign?: boolean } = {},
): Promise<number> {
  const db = app.parley.ctx.db;
  const [team] = await db
    .insert(teams)
    .values({
      accountId,
      name: options.name ?? `Team ${randomUUID().slice(0, 6)}`,
      allowAutoAssign: options.allowAutoAssign ?? true,
    })
    .returning({ id: teams.id });
  if (!team) throw new Error('no team');
  if (memberIds.length) {
    await db.insert(teamMembers).values(memberIds.map((userId) => ({ accountId, teamId: team.id, userId })));
  }
  return team.id;
}

/** A Chatwoot-face caller bound to one token. */
export function chatwootClient(app: TestApp, token: string) {
  const inject = injector(app);
  const headers = { api_access_token: token };
  return {
    get: (url: string): Promise<LightMyRequestResponse> =>
      inject({ method: 'GET', url: `/chatwoot${url}`, headers }),
    post: (url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
      inject({
        method: 'POST',
        url: `/chatwoot${url}`,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    patch: (url: string, payload: unknown): Promise<LightMyRequestResponse> =>
      inject({ method: 'PATCH', url: `/chatwoot${url}`, headers, payload: payload as object }),
    delete: (url: string): Promise<LightMyRequestResponse> =>
      inject({ method: 'DELETE', url: `/chatwoot${url}`, headers }),
  };
}

export type ChatwootClient = ReturnType<typeof chatwootClient>;

/** Opens a conversation through the API and returns its display id. */
export async function openConversation(
  client: ChatwootClient,
  accountId: number,
  body: { inbox_id: number; contact_id: number } & Record<string, unknown>,
): Promise<number> {
  const response = await client.post(`/api/v1/accounts/${accountId}/conversations`, {
    source_id: randomUUID(),
    ...body,
  });
  if (response.statusCode !== 200)
    throw new Error(`create conversation: ${response.statusCode} ${response.body}`);
  return response.json<{ id: number }>().id;
}

/** The stored row of the account's conversation with this display id. */
export async function conversationRowOf(
  app: TestApp,
  accountId: number,
  displayId: number,
): Promise<ConversationRow> {
  const [row] = await app.parley.ctx.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.displayId, displayId)));
  if (!row) throw new Error('no conversation');
  return row;
}
