import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { enqueue, type JobContext } from '../../platform/jobs/index.js';
import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { receiveSms } from './receive-sms.js';
import type { SmsProvider } from './sms-provider.js';
import { createSmsSimulator, SIMULATOR_PROVIDER } from './sms-simulator.js';
import { applyDeliveryReport, changeSmsStatus, isFinalSmsStatus, lockSms } from './sms-status.js';
import {
  deliveryReportJob,
  inboundSmsJob,
  submitSmsJob,
  type DeliveryReportPayload,
  type InboundSmsPayload,
  type SubmitSmsPayload,
} from './sms.jobs.js';
import { createSmsReplyConsumer } from './sms-replies.js';

export interface SmsRuntimeOptions {
  /** Providers by name; the simulator is always there (every SMS row names its provider). */
  providers?: SmsProvider[];
}

/**
 * Hands the SMS to its provider. Three steps, each its own commit, so a crash repeats at most the
 * provider call, and the provider dedupes that on the SMS's idempotency key:
 * CREATED → PENDING (we are submitting), the call, then SENT with the provider's reference and its
 * scheduled receipts as jobs — or ERROR when the provider refuses or stays down to the last attempt.
 */
export async function submitSms(
  db: Db,
  providers: ReadonlyMap<string, SmsProvider>,
  payload: SubmitSmsPayload,
  ctx: JobContext,
): Promise<void> {
  const row = await db.transaction(async (tx) => {
    const locked = await lockSms(tx, payload.accountId, payload.smsId);
    if (!locked || locked.direction !== 'OUT' || !['CREATED', 'PENDING'].includes(locked.status)) return null;
    if (locked.status === 'PENDING') return locked;
    return changeSmsStatus(tx, locked, { status: 'PENDING', at: new Date() });
  });
  if (!row) return ctx.complete(() => Promise.resolve());
  const provider = providers.get(row.provider);
  if (!provider) {
    return ctx.complete(async (tx) => {
      await failSubmission(tx, payload, `No SMS provider named ${row.provider}`);
    });
  }
  let result: Awaited<ReturnType<SmsProvider['submit']>>;
  try {
    result = await provider.submit({
      idempotencyKey: `parley-sms-${row.id}`,
      from: row.sender,
      to: row.recipient,
      text: row.body,
      encoding: row.encoding,
      parts: row.parts,
      flash: row.options.flash_message === true,
    });
  } catch (error) {
    if (ctx.job.attempts < ctx.job.maxAttempts) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return ctx.complete(async (tx) => {
      await failSubmission(tx, payload, `Provider unavailable: ${reason}`);
    });
  }
  await ctx.complete(async (tx) => {
    const locked = await lockSms(tx, payload.accountId, payload.smsId);
    // Only a submission still in flight is settled here (a rerun after success finds SENT or later).
    if (locked?.status !== 'PENDING') return;
    if (!result.accepted) {
      await changeSmsStatus(tx, locked, { status: 'ERROR', error: result.error, at: new Date() });
      return;
    }
    await changeSmsStatus(tx, locked, { status: 'SENT', at: new Date(), providerRef: result.providerRef });
    for (const report of result.reports) {
      await enqueue(
        tx,
        deliveryReportJob,
        {
          provider: provider.name,
          providerRef: result.providerRef,
          status: report.status,
          error: report.error ?? null,
        },
        { accountId: payload.accountId, delayMs: report.afterMs },
      );
    }
  });
}

async function failSubmission(tx: Db, payload: SubmitSmsPayload, error: string): Promise<void> {
  const locked = await lockSms(tx, payload.accountId, payload.smsId);
  if (locked && !isFinalSmsStatus(locked.status)) {
    await changeSmsStatus(tx, locked, { status: 'ERROR', error, at: new Date() });
  }
}

function applyReport(payload: DeliveryReportPayload, ctx: JobContext): Promise<void> {
  return ctx.complete(async (tx) => {
    await applyDeliveryReport(tx, { ...payload, at: new Date() });
  });
}

function applyInbound(payload: InboundSmsPayload, ctx: JobContext): Promise<void> {
  return ctx.complete(async (tx) => {
    await receiveSms(tx, { ...payload, receivedAt: new Date(payload.receivedAt) });
  });
}

/**
 * What a carrier does when someone texts one of the instance's numbers, as the simulator does it:
 * the SMS enters through the same durable job a provider's callback would enqueue.
 */
export async function simulateIncomingSms(
  db: Db,
  sms: { from: string; to: string; text: string; providerRef?: string },
): Promise<number> {
  return enqueue(db, inboundSmsJob, {
    provider: SIMULATOR_PROVIDER,
    providerRef: sms.providerRef ?? `sim-mo-${randomUUID()}`,
    from: sms.from,
    to: sms.to,
    text: sms.text,
    receivedAt: new Date().toISOString(),
  });
}

/** SMS: submission to the provider, delivery receipts and inbound SMS as durable jobs; agents' replies in SMS inboxes go out as SMS. */
export function createSmsRuntime(deps: ModuleRuntimeDeps, options: SmsRuntimeOptions = {}): ModuleRuntime {
  const providers = new Map<string, SmsProvider>([[SIMULATOR_PROVIDER, createSmsSimulator()]]);
  for (const provider of options.providers ?? []) providers.set(provider.name, provider);
  return {
    jobs: [
      {
        ...submitSmsJob,
        handler: (payload: SubmitSmsPayload, ctx) => submitSms(deps.db, providers, payload, ctx),
      },
      { ...deliveryReportJob, handler: applyReport },
      { ...inboundSmsJob, handler: applyInbound },
    ],
    consumers: [createSmsReplyConsumer()],
    webhookFormats: [],
  };
}
