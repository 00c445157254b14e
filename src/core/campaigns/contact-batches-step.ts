import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import {
  campaignContacts,
  campaigns,
  contactBatches,
  type CampaignRow,
  type ContactBatchRow,
} from './campaigns.tables.js';
import {
  deleteCampaignContacts,
  insertCampaignContacts,
  updateCampaignContacts,
} from './campaign-contacts.js';
import { contactFilterSql } from './contact-filter.js';
import {
  MAX_CONTACTS_PER_BATCH,
  parseBatchRequest,
  storedRequestOf,
  type ParsedBatchRequest,
} from './contact-batches-request.js';

/**
 * Items per step. Each step is one transaction and one job run, so other accounts' jobs interleave.
 * A create batch (at most 300 contacts) is one step: a step's fixed cost (claim, lock, parse the
 * stored request, progress, next job) then comes once per batch.
 */
export interface ChunkSizes {
  create: number;
  update: number;
  delete: number;
}

export const DEFAULT_CHUNK_SIZES: ChunkSizes = { create: MAX_CONTACTS_PER_BATCH, update: 500, delete: 500 };

/** What one chunk did, before it is added to the batch's totals. */
interface ChunkOutcome {
  processed: number;
  modified: number;
  failed: number[];
  excluded: Record<string, number[]>;
  /** update/delete: the highest contact id looked at (the keyset cursor). */
  cursorId?: number;
  isLast: boolean;
}

export interface StepResult {
  /** The batch after this step, or undefined when there is none (deleted with its campaign). */
  batch: ContactBatchRow | undefined;
  isDone: boolean;
}

async function lockBatch(tx: Db, accountId: number, batchId: string): Promise<ContactBatchRow | undefined> {
  const [row] = await tx
    .select()
    .from(contactBatches)
    .where(and(eq(contactBatches.accountId, accountId), eq(contactBatches.id, batchId)))
    .for('update');
  return row;
}

async function loadBatchCampaign(tx: Db, batch: ContactBatchRow): Promise<CampaignRow | undefined> {
  const [row] = await tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.accountId, batch.accountId), eq(campaigns.id, batch.campaignId)));
  return row;
}

async function createChunk(
  tx: Db,
  batch: ContactBatchRow,
  campaign: CampaignRow,
  request: Extract<ParsedBatchRequest, { kind: 'create' }>,
  size: number,
): Promise<ChunkOutcome> {
  const start = batch.processedItems;
  const inputs = request.inputs.slice(start, start + size);
  // batch_id/batch_index make a replayed item insert nothing, should a chunk ever run twice.
  const { inserted, excluded } = await insertCampaignContacts(tx, {
    campaign,
    inputs,
    actor: batch.createdBy,
    batch: { id: batch.id, startIndex: start },
    priorityMode: request.priorityMode,
  });
  const excludedIds = new Map<string, number[]>();
  const excludedSet = new Set<number>();
  for (const item of excluded) {
    if (item.id === undefined) continue;
    excludedSet.add(item.id);
    excludedIds.set(item.cause, [...(excludedIds.get(item.cause) ?? []), item.id]);
  }
  return {
    processed: inputs.length,
    modified: inserted.filter((row) => !excludedSet.has(row.id)).length,
    failed: [],
    excluded: Object.fromEntries(excludedIds),
    isLast: start + inputs.length >= request.inputs.length,
  };
}

/**
 * The next `size` contacts of the campaign matching the filter, after the cursor, in id order;
 * those on a call are left alone and reported as failed. `apply` changes the others and returns
 * the ids it changed (a contact that went on a call meanwhile is not among them).
 */
async function filteredChunk(
  tx: Db,
  batch: ContactBatchRow,
  filter: SQL,
  size: number,
  apply: (eligible: SQL) => Promise<number[]>,
): Promise<ChunkOutcome> {
  const scope = and(
    eq(campaignContacts.accountId, batch.accountId),
    eq(campaignContacts.campaignId, batch.campaignId),
  );
  const rows = await tx
    .select({ id: campaignContacts.id, state: campaignContacts.state })
    .from(campaignContacts)
    .where(and(scope, gt(campaignContacts.id, batch.cursorId), filter))
    .orderBy(asc(campaignContacts.id))
    .limit(size);
  const idle = rows.filter((row) => row.state !== 'processing_in_progress').map((row) => row.id);
  const changed =
    idle.length === 0
      ? []
      : await apply(
          and(
            scope,
            inArray(campaignContacts.id, idle),
            eq(campaignContacts.state, 'processing_not_in_progress'),
          ) ?? sql`false`,
        );
  const changedSet = new Set(changed);
  return {
    processed: rows.length,
    modified: changed.length,
    failed: rows.filter((row) => !changedSet.has(row.id)).map((row) => row.id),
    excluded: {},
    cursorId: rows.at(-1)?.id ?? batch.cursorId,
    isLast: rows.length < size,
  };
}

function runChunk(
  tx: Db,
  batch: ContactBatchRow,
  campaign: CampaignRow,
  request: ParsedBatchRequest,
  sizes: ChunkSizes,
): Promise<ChunkOutcome> {
  switch (request.kind) {
    case 'create':
      return createChunk(tx, batch, campaign, request, sizes.create);
    case 'update':
      return filteredChunk(tx, batch, contactFilterSql(request.query), sizes.update, (eligible) =>
        updateCampaignContacts(tx, {
          campaign,
          where: eligible,
          changes: request.data,
          actor: batch.createdBy,
        }),
      );
    case 'delete':
      return filteredChunk(tx, batch, contactFilterSql(request.query), sizes.delete, (eligible) =>
        deleteCampaignContacts(tx, { campaign, where: eligible }),
      );
  }
}

function mergeExcluded(
  total: Record<string, number[]>,
  chunk: Record<string, number[]>,
): Record<string, number[]> {
  const merged = { ...total };
  for (const [reason, ids] of Object.entries(chunk)) merged[reason] = [...(merged[reason] ?? []), ...ids];
  return merged;
}

/**
 * Runs the batch's next chunk inside `tx` (the job's completion transaction): the chunk's writes
 * and the batch's progress commit together or not at all, so a step cut short by a crash is
 * simply run again from the same place.
 */
export async function runContactBatchStep(
  tx: Db,
  payload: { accountId: number; batchId: string },
  sizes: ChunkSizes = DEFAULT_CHUNK_SIZES,
): Promise<StepResult> {
  const batch = await lockBatch(tx, payload.accountId, payload.batchId);
  if (!batch || batch.status === 'COMPLETED' || batch.status === 'FAILED') return { batch, isDone: true };
  const campaign = await loadBatchCampaign(tx, batch);
  if (!campaign) return { batch, isDone: true };
  const request = parseBatchRequest(storedRequestOf(batch.kind, batch.request), campaign);
  const chunk = await runChunk(tx, batch, campaign, request, sizes);
  const processedItems = batch.processedItems + chunk.processed;
  const [updated] = await tx
    .update(contactBatches)
    .set({
      status: chunk.isLast ? 'COMPLETED' : 'IN_PROGRESS',
      processedItems,
      cursorId: chunk.cursorId ?? batch.cursorId,
      modifiedCount: batch.modifiedCount + chunk.modified,
      failedIds: [...batch.failedIds, ...chunk.failed],
      excluded: mergeExcluded(batch.excluded, chunk.excluded),
      totalItems: batch.totalItems ?? (chunk.isLast ? processedItems : null),
      finishedAt: chunk.isLast ? sql`now()` : null,
      updatedAt: sql`now()`,
    })
    .where(eq(contactBatches.id, batch.id))
    .returning();
  return { batch: updated, isDone: chunk.isLast };
}

/** Ends a batch that cannot go on (bad stored request, a value the database refuses, retries spent). */
export async function failContactBatch(
  tx: Db,
  payload: { accountId: number; batchId: string },
  reason: string,
): Promise<void> {
  await tx
    .update(contactBatches)
    .set({ status: 'FAILED', failureReason: reason, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(contactBatches.accountId, payload.accountId),
        eq(contactBatches.id, payload.batchId),
        inArray(contactBatches.status, ['ACCEPTED', 'IN_PROGRESS']),
      ),
    );
}
