import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { issueSecret } from '../../platform/auth/secrets.js';
import { recordEvent, recordEvents, type Actor } from '../../platform/events/outbox.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { agentBots, type AgentBotRow } from './agent-bots.tables.js';
import {
  agentBotCreated,
  agentBotDeleted,
  agentBotEventPayload,
  agentBotUpdated,
} from './agent-bots.events.js';
import { listAccountsUsingBot, syncAgentBotSubscriptionsEverywhere } from './bot-subscriptions.js';

export type { AgentBotRow } from './agent-bots.tables.js';

/** Who is asking: an account (sees its bots and the platform's shared ones) or the platform. */
export type AgentBotScope = { accountId: number } | 'platform';

export interface AgentBotInput {
  name?: string | undefined;
  description?: string | null | undefined;
  outgoingUrl?: string | null | undefined;
  avatarUrl?: string | null | undefined;
  botConfig?: Record<string, unknown> | undefined;
}

function assertOutgoingUrl(url: string | null | undefined): void {
  if (url === null || url === undefined || url === '') return;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new DomainError('VALIDATION_FAILED', 'outgoing_url must be an http(s) URL', [
      { path: 'outgoing_url', message: 'is invalid' },
    ]);
  }
}

function scopeWhere(scope: AgentBotScope, forWrite: boolean) {
  if (scope === 'platform') return eq(agentBots.isPlatformOwned, true);
  // An account reads its own bots and the platform's shared ones, but changes only its own.
  if (forWrite) return and(eq(agentBots.accountId, scope.accountId), eq(agentBots.isPlatformOwned, false));
  return or(eq(agentBots.accountId, scope.accountId), isNull(agentBots.accountId));
}

/** Creates a bot and its token; the token is returned once, only its hash is stored. */
export async function createAgentBot(
  db: Db,
  input: AgentBotInput & { name: string; accountId: number | null; isPlatformOwned: boolean },
  actor: Actor,
): Promise<{ bot: AgentBotRow; token: string }> {
  assertOutgoingUrl(input.outgoingUrl);
  const secret = issueSecret('abt');
  const bot = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(agentBots)
      .values({
        accountId: input.accountId,
        name: input.name,
        description: input.description ?? null,
        outgoingUrl: input.outgoingUrl || null,
        avatarUrl: input.avatarUrl ?? null,
        botConfig: input.botConfig ?? {},
        isPlatformOwned: input.isPlatformOwned,
        tokenHash: secret.hash,
        tokenPrefix: secret.prefix,
        secret: randomBytes(24).toString('base64url'),
      })
      .returning();
    if (!row) throw new Error('insert returned no agent bot');
    if (row.accountId !== null) {
      await recordEvent(tx, agentBotCreated, {
        accountId: row.accountId,
        aggregateId: row.id,
        payload: agentBotEventPayload(row),
        actor,
      });
    }
    return row;
  });
  return { bot, token: secret.token };
}

export async function listAgentBots(db: Db, scope: AgentBotScope): Promise<AgentBotRow[]> {
  return db.select().from(agentBots).where(scopeWhere(scope, false)).orderBy(asc(agentBots.id));
}

export async function findAgentBot(db: Db, scope: AgentBotScope, botId: number): Promise<AgentBotRow | null> {
  const [row] = await db
    .select()
    .from(agentBots)
    .where(and(eq(agentBots.id, botId), scopeWhere(scope, false)));
  return row ?? null;
}

export async function getAgentBot(db: Db, scope: AgentBotScope, botId: number): Promise<AgentBotRow> {
  const row = await findAgentBot(db, scope, botId);
  if (!row) throw notFound('Agent bot');
  return row;
}

/** A bot an account may change: its own, never one the platform owns. */
async function getWritableBot(db: Db, scope: AgentBotScope, botId: number): Promise<AgentBotRow> {
  const row = await getAgentBot(db, scope, botId);
  const [writable] = await db
    .select({ id: agentBots.id })
    .from(agentBots)
    .where(and(eq(agentBots.id, botId), scopeWhere(scope, true)));
  if (!writable) throw new DomainError('FORBIDDEN', 'Only the platform can change this agent bot');
  return row;
}

/** The accounts whose outbox hears about a bot: its own, or every account that binds it. */
async function eventAccounts(tx: Db, bot: AgentBotRow): Promise<number[]> {
  if (bot.accountId !== null) return [bot.accountId];
  return listAccountsUsingBot(tx, bot.id);
}

export async function updateAgentBot(
  db: Db,
  scope: AgentBotScope,
  botId: number,
  input: AgentBotInput,
  actor: Actor,
): Promise<AgentBotRow> {
  await getWritableBot(db, scope, botId);
  assertOutgoingUrl(input.outgoingUrl);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(agentBots)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.outgoingUrl !== undefined && { outgoingUrl: input.outgoingUrl || null }),
        ...(input.avatarUrl !== undefined && { avatarUrl: input.avatarUrl }),
        ...(input.botConfig !== undefined && { botConfig: input.botConfig }),
        updatedAt: sql`now()`,
      })
      .where(eq(agentBots.id, botId))
      .returning();
    if (!row) throw notFound('Agent bot');
    await syncAgentBotSubscriptionsEverywhere(tx, botId);
    const accountIds = await eventAccounts(tx, row);
    await recordEvents(
      tx,
      agentBotUpdated,
      accountIds.map((accountId) => ({
        accountId,
        aggregateId: row.id,
        payload: agentBotEventPayload(row),
        actor,
      })),
    );
    return row;
  });
}

/** Unbinds the bot from every inbox that used it, drops its subscriptions, then deletes it. */
export async function deleteAgentBot(
  db: Db,
  scope: AgentBotScope,
  botId: number,
  actor: Actor,
): Promise<void> {
  const bot = await getWritableBot(db, scope, botId);
  await db.transaction(async (tx) => {
    const accountIds = await eventAccounts(tx, bot);
    await tx
      .update(inboxes)
      .set({ agentBotId: null, updatedAt: sql`now()` })
      .where(eq(inboxes.agentBotId, botId));
    await syncAgentBotSubscriptionsEverywhere(tx, botId);
    await tx.delete(agentBots).where(eq(agentBots.id, botId));
    await recordEvents(
      tx,
      agentBotDeleted,
      accountIds.map((accountId) => ({
        accountId,
        aggregateId: bot.id,
        payload: agentBotEventPayload(bot),
        actor,
      })),
    );
  });
}
