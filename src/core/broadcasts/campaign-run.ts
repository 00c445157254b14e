import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { DomainError, isDomainError } from '../../platform/errors.js';
import { defineJob, enqueue, type JobContext } from '../../platform/jobs/index.js';
import { sendSms } from '../sms/send-sms.js';
import { startBroadcast } from '../telephony/start-calls.js';
import { checkCampaign, getCampaign, requireStatus } from './campaigns.js';
import {
  addressBookContacts,
  broadcastCampaigns,
  broadcastRecipients,
  type BroadcastCampaignRow,
} from './broadcasts.tables.js';

/**
 * Running a campaign: `start` draws its recipients from its address books, then a chain of chunk
 * jobs sends to them. Each chunk sends and marks its recipients in one transaction with the job's
 * completion, so a crash replays a chunk whole or not at all: every number is sent to once.
 * Pause and stop change the status; the next chunk reads it and ends the chain.
 */

/** Recipients per chunk: small enough that a pause is felt quickly and a transaction stays short. */
export const CHUNK_SIZE = { SMS: 100, VOICE: 20 } as const;
/** A voice call rings this long, as `calls.broadcast_1` does without a timeout. */
const RING_SECONDS = 30;
/** Refusals that say "not now" rather than "never": the chunk is retried instead of failing numbers. */
const TRANSIENT = new Set(['UNAVAILABLE', 'RATE_LIMITED']);

const chunkPayloadSchema = z.object({
  accountId: z.number().int(),
  campaignId: z.number().int(),
  run: z.number().int(),
});
type ChunkPayload = z.infer<typeof chunkPayloadSchema>;

async function queueChunk(tx: Db, campaign: BroadcastCampaignRow, run: number, runAt?: Date) {
  await enqueue(
    tx,
    sendChunkJob,
    { accountId: campaign.accountId, campaignId: campaign.id, run },
    { accountId: campaign.accountId, ...(runAt && { runAt }) },
  );
}

function setRunning(tx: Db, campaign: BroadcastCampaignRow, values: Partial<BroadcastCampaignRow>) {
  return tx
    .update(broadcastCampaigns)
    .set({ ...values, status: 'RUNNING', run: campaign.run + 1, updatedAt: new Date() })
    .where(and(eq(broadcastCampaigns.accountId, campaign.accountId), eq(broadcastCampaigns.id, campaign.id)));
}

/** Every number of the campaign's books, once, as PENDING recipients; answers how many. */
async function drawRecipients(tx: Db, campaign: BroadcastCampaignRow): Promise<number> {
  await tx.execute(sql`
    INSERT INTO ${broadcastRecipients} (account_id, campaign_id, phone)
    SELECT DISTINCT ${campaign.accountId}::bigint, ${campaign.id}::bigint, ${addressBookContacts.phone}
    FROM ${addressBookContacts}
    WHERE ${and(
      eq(addressBookContacts.accountId, campaign.accountId),
      inArray(addressBookContacts.addressBookId, campaign.addressBookIds),
    )}
    ON CONFLICT DO NOTHING`);
  const [counted] = await tx
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(broadcastRecipients)
    .where(eq(broadcastRecipients.campaignId, campaign.id));
  return counted?.total ?? 0;
}

/**
 * DRAFT → RUNNING (at its schedule, or now), PAUSED → RUNNING; a running campaign stays as it is.
 * A draft starts only when `check` finds nothing wrong with it.
 */
export async function startCampaign(db: Db, accountId: number, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const campaign = await getCampaign(tx, accountId, id, true);
    requireStatus(campaign, ['DRAFT', 'PAUSED', 'RUNNING'], 'started');
    if (campaign.status === 'RUNNING') return;
    if (campaign.status === 'PAUSED') {
      await setRunning(tx, campaign, {});
      await queueChunk(tx, campaign, campaign.run + 1);
      return;
    }
    const problems = await checkCampaign(tx, accountId, campaign);
    if (problems.length > 0) {
      throw new DomainError('VALIDATION_FAILED', 'The campaign cannot start', problems);
    }
    const totalCount = await drawRecipients(tx, campaign);
    const now = new Date();
    await setRunning(tx, campaign, { totalCount, startedAt: now });
    const later = campaign.scheduledAt && campaign.scheduledAt > now ? campaign.scheduledAt : undefined;
    await queueChunk(tx, campaign, campaign.run + 1, later);
  });
}

/** RUNNING → PAUSED (a paused campaign stays paused); the chunk in flight finishes first. */
export async function pauseCampaign(db: Db, accountId: number, id: number): Promise<void> {
  await changeStatus(db, accountId, id, ['RUNNING', 'PAUSED'], 'paused', { status: 'PAUSED' });
}

/** RUNNING or PAUSED → STOPPED for good; numbers not reached yet stay pending. */
export async function stopCampaign(db: Db, accountId: number, id: number): Promise<void> {
  await changeStatus(db, accountId, id, ['RUNNING', 'PAUSED', 'STOPPED'], 'stopped', {
    status: 'STOPPED',
  });
}

async function changeStatus(
  db: Db,
  accountId: number,
  id: number,
  allowed: BroadcastCampaignRow['status'][],
  action: string,
  values: { status: 'PAUSED' | 'STOPPED' },
): Promise<void> {
  await db.transaction(async (tx) => {
    const campaign = await getCampaign(tx, accountId, id, true);
    requireStatus(campaign, allowed, action);
    if (campaign.status === values.status) return;
    const now = new Date();
    await tx
      .update(broadcastCampaigns)
      .set({ ...values, updatedAt: now, ...(values.status === 'STOPPED' && { finishedAt: now }) })
      .where(and(eq(broadcastCampaigns.accountId, accountId), eq(broadcastCampaigns.id, id)));
  });
}

/** Sends to one number; answers what was sent (`sms:<id>` or `call:<id>`). */
async function sendOne(tx: Db, campaign: BroadcastCampaignRow, phone: string): Promise<string> {
  const { content } = campaign;
  if (content.type === 'SMS') {
    const sms = await sendSms(tx, {
      accountId: campaign.accountId,
      from: campaign.sender,
      to: phone,
      text: content.text,
      nature: content.nature,
      actor: { type: 'system' },
    });
    return `sms:${sms.id}`;
  }
  const call = await startBroadcast(tx, {
    accountId: campaign.accountId,
    target: { number: phone, timeout: RING_SECONDS },
    cdrField: '',
    cli: campaign.sender,
    messages: content.messages,
    loops: content.loops,
  });
  return `call:${call.id}`;
}

async function sendChunk(tx: Db, campaign: BroadcastCampaignRow): Promise<{ sent: number; failed: number }> {
  const recipients = await tx
    .select({ id: broadcastRecipients.id, phone: broadcastRecipients.phone })
    .from(broadcastRecipients)
    .where(and(eq(broadcastRecipients.campaignId, campaign.id), eq(broadcastRecipients.state, 'PENDING')))
    .orderBy(asc(broadcastRecipients.id))
    .limit(CHUNK_SIZE[campaign.type]);
  let sent = 0;
  for (const recipient of recipients) {
    const mark = (values: Partial<typeof broadcastRecipients.$inferInsert>) =>
      tx.update(broadcastRecipients).set(values).where(eq(broadcastRecipients.id, recipient.id));
    try {
      // A savepoint each: a number the SMS or telephony core refuses fails alone.
      const reference = await tx.transaction((one) => sendOne(one, campaign, recipient.phone));
      await mark({ state: 'SENT', reference, sentAt: new Date() });
      sent++;
    } catch (error) {
      if (!isDomainError(error) || TRANSIENT.has(error.code)) throw error;
      await mark({ state: 'FAILED', error: error.message });
    }
  }
  return { sent, failed: recipients.length - sent };
}

export async function runCampaignChunk(db: Db, payload: ChunkPayload, ctx: JobContext): Promise<void> {
  await ctx.complete(async (tx) => {
    const [campaign] = await tx
      .select()
      .from(broadcastCampaigns)
      .where(
        and(
          eq(broadcastCampaigns.accountId, payload.accountId),
          eq(broadcastCampaigns.id, payload.campaignId),
        ),
      )
      .for('update');
    // Paused, stopped or deleted since, or resumed by a newer run: this chain ends here.
    if (campaign?.status !== 'RUNNING' || campaign.run !== payload.run) return;
    const { sent, failed } = await sendChunk(tx, campaign);
    const sentCount = campaign.sentCount + sent;
    const failedCount = campaign.failedCount + failed;
    const isDone = sent + failed < CHUNK_SIZE[campaign.type];
    const now = new Date();
    await tx
      .update(broadcastCampaigns)
      .set({
        sentCount,
        failedCount,
        updatedAt: now,
        ...(isDone && { status: 'FINISHED' as const, finishedAt: now }),
      })
      .where(eq(broadcastCampaigns.id, campaign.id));
    if (!isDone) await queueChunk(tx, campaign, payload.run);
  });
}

export const sendChunkJob = defineJob({
  name: 'broadcasts.send_chunk',
  queue: 'bulk',
  payloadSchema: chunkPayloadSchema,
  maxAttempts: 10,
  handler: () => Promise.reject(new Error('campaign chunks run through createBroadcastsRuntime(deps)')),
});
