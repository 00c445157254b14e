import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { sqlStateOf } from '../../platform/db/database-errors.js';
import { DomainError } from '../../platform/errors.js';
import { contactBatches, type CampaignRow, type ContactBatchRow } from './campaigns.tables.js';
import { assertContactReferences } from './campaign-contact-references.js';
import { parseBatchRequest, type StoredBatchRequest } from './contact-batches-request.js';
import { scheduleContactBatchStep } from './contact-batches.jobs.js';

export { MAX_CONTACTS_PER_BATCH, type StoredBatchRequest } from './contact-batches-request.js';

/** Diabolocom's batch result: `GET .../contact-batch/status/{batchId}`. */
export interface ContactBatchResult {
  status: ContactBatchRow['status'];
  modifiedElementsCount: number;
  failed: number[];
  excluded: Record<string, number[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The batch's only unique constraints are its random uuid and contact_batches_one_live_per_campaign_key,
 * and nothing else in the transaction is unique: a unique violation here is a live batch.
 */
function isLiveBatchConflict(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}

export function batchAlreadyRunning(campaignId: number): DomainError {
  return new DomainError('CONFLICT', `Another batch task is ongoing for campaign ${campaignId}`);
}

/**
 * Accepts a batch: validates the whole request first (nothing is stored when any part is wrong),
 * then stores the batch (ACCEPTED) and enqueues its first step in one transaction, so a batch
 * exists if and only if its job does. A second live batch for the campaign hits the partial unique
 * index and is a CONFLICT (409), whichever request got there first.
 */
export async function submitContactBatch(
  db: Db,
  params: { accountId: number; campaign: CampaignRow; request: StoredBatchRequest; actor: string },
): Promise<ContactBatchRow> {
  const { accountId, campaign, request } = params;
  if (campaign.accountId !== accountId) throw new DomainError('NOT_FOUND', 'campaign not found');
  if (request.kind === 'delete' && campaign.isArchived) {
    // Seed: "Contacts in archived or deleted campaigns cannot be deleted."
    throw new DomainError('INVALID_STATE', 'Contacts of an archived campaign cannot be deleted');
  }
  const parsed = parseBatchRequest(request, campaign);
  // References (wrap-up, agents, groups, calendar, custom field names, displayed number) too: a
  // batch that would fail on its first chunk is a 400 now, not a FAILED later.
  if (parsed.kind === 'create') await assertContactReferences(db, campaign, parsed.inputs);
  if (parsed.kind === 'update') await assertContactReferences(db, campaign, [parsed.data]);
  const { kind, ...stored } = request;
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(contactBatches)
        .values({
          accountId,
          campaignId: campaign.id,
          kind,
          request: stored,
          totalItems: request.kind === 'create' ? request.inputs.length : null,
          createdBy: params.actor,
        })
        .returning();
      if (!row) throw new Error('contact batch insert returned no row');
      await scheduleContactBatchStep(tx, row);
      return row;
    });
  } catch (error) {
    if (isLiveBatchConflict(error)) throw batchAlreadyRunning(campaign.id);
    throw error;
  }
}

/** One of the account's batches; undefined for another account's, an unknown or a malformed id. */
export async function loadContactBatch(
  db: Db,
  accountId: number,
  batchId: string,
): Promise<ContactBatchRow | undefined> {
  if (!UUID.test(batchId)) return undefined;
  const [row] = await db
    .select()
    .from(contactBatches)
    .where(and(eq(contactBatches.accountId, accountId), eq(contactBatches.id, batchId)));
  return row;
}

export function contactBatchResult(row: ContactBatchRow): ContactBatchResult {
  return {
    status: row.status,
    modifiedElementsCount: row.modifiedCount,
    failed: row.failedIds.map(Number),
    excluded: Object.fromEntries(
      Object.entries(row.excluded).map(([reason, ids]) => [reason, ids.map(Number)]),
    ),
  };
}
