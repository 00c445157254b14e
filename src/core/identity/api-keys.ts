import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { notFound } from '../../platform/errors.js';
import { issueSecret } from '../../platform/auth/secrets.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { apiKeyCreated, apiKeyRevoked } from './identity.events.js';
import { apiKeys, type Role } from './identity.tables.js';
import { forgetInThisProcess } from './api-key-cache.js';

/** An API key as lists show it: the prefix identifies it, the secret is never returned again. */
export interface ApiKeyView {
  id: number;
  accountId: number;
  name: string;
  role: Role;
  tokenPrefix: string;
  createdByUserId: number | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const viewColumns = {
  id: apiKeys.id,
  accountId: apiKeys.accountId,
  name: apiKeys.name,
  role: apiKeys.role,
  tokenPrefix: apiKeys.tokenPrefix,
  createdByUserId: apiKeys.createdByUserId,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  createdAt: apiKeys.createdAt,
};

export async function createApiKey(
  db: Db,
  input: { accountId: number; name: string; role?: Role | undefined; createdByUserId?: number | undefined },
  actor: Actor,
): Promise<{ apiKey: ApiKeyView; token: string }> {
  const secret = issueSecret('pk');
  const apiKey = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        accountId: input.accountId,
        name: input.name,
        role: input.role ?? 'administrator',
        tokenHash: secret.hash,
        tokenPrefix: secret.prefix,
        createdByUserId: input.createdByUserId ?? null,
      })
      .returning(viewColumns);
    if (!row) throw new Error('insert returned no api key');
    await recordEvent(tx, apiKeyCreated, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: { id: row.id, name: row.name, role: row.role },
      actor,
    });
    return row;
  });
  return { apiKey, token: secret.token };
}

export async function listApiKeys(
  db: Db,
  options: { accountId: number; beforeId?: number | undefined; limit: number },
): Promise<Page<ApiKeyView>> {
  const rows = await db
    .select(viewColumns)
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.accountId, options.accountId),
        options.beforeId === undefined ? undefined : lt(apiKeys.id, options.beforeId),
      ),
    )
    .orderBy(desc(apiKeys.id))
    .limit(options.limit + 1);
  return toPage(rows, options.limit, (row) => row.id);
}

export async function getApiKey(db: Db, accountId: number, id: number): Promise<ApiKeyView> {
  const [row] = await db
    .select(viewColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, id)));
  if (!row) throw notFound('API key');
  return row;
}

/** Revoking twice is harmless: the first revocation time is kept. */
export async function revokeApiKey(db: Db, accountId: number, id: number, actor: Actor): Promise<ApiKeyView> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning(viewColumns);
    if (!row) return;
    await recordEvent(tx, apiKeyRevoked, {
      accountId,
      aggregateId: id,
      payload: { id: row.id, name: row.name, role: row.role },
      actor,
    });
  });
  forgetInThisProcess({ kind: 'api_key', accountId, keyId: id });
  return getApiKey(db, accountId, id);
}
