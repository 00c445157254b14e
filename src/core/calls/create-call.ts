import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { enqueue } from '../../platform/jobs/index.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { callCreated } from './calls.events.js';
import { expireCallUploadJob, processCallJob } from './calls.jobs.js';
import {
  callContacts,
  calls,
  callTagLinks,
  type CallProvider,
  type CallRow,
  type RecordingFormat,
} from './calls.tables.js';
import { snapshotCall } from './call-snapshot.js';
import { minimumCallSeconds, recordingKeyOf, UPLOAD_LINK_SECONDS } from './call-settings.js';
import {
  resolveCallContacts,
  resolveCallTags,
  resolveCallUser,
  type CallContactRef,
  type CallTagRef,
  type CallUserRef,
} from './resolve-call-participants.js';

export interface CreateCallInput {
  accountId: number;
  actor: Actor;
  title?: string | undefined;
  startedAt: Date;
  direction: 'inbound' | 'outbound' | null;
  provider: CallProvider;
  /** 0 means unknown; otherwise at least the account's minimum. The measured length replaces it. */
  durationSeconds: number;
  language?: string | null | undefined;
  recordingExtension: RecordingFormat;
  /** Present: Parley downloads it. Absent: the caller uploads to the returned signed URL. */
  recordingUrl?: string | undefined;
  contacts: readonly CallContactRef[];
  users: readonly CallUserRef[];
  tags: readonly CallTagRef[] | null;
  crmAccount?: { crm: string; crmId: string } | undefined;
  crmDeal?: { crm: string; crmId: string } | undefined;
  externalId?: string | undefined;
}

export interface CreateCallDeps {
  storage: BlobStorage;
  maxRecordingBytes: number;
  /** Wakes an in-process worker at once. */
  notifier?: () => void;
}

export interface CreatedCall {
  call: CallRow;
  /** The signed PUT URL when no recording URL was given. */
  uploadUrl: string | null;
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${path} ${message}`, [{ path, message }]);
}

function checkRecordingUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('recordingUrl', 'must be a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid('recordingUrl', 'must use http or https');
  }
}

/**
 * Registers a call with its participants and tags, then either queues the download of its
 * recording or hands out a signed, expiring upload URL. One transaction: a refused contact or
 * tag leaves nothing behind.
 */
export async function createCall(db: Db, input: CreateCallInput, deps: CreateCallDeps): Promise<CreatedCall> {
  if (input.recordingUrl !== undefined) checkRecordingUrl(input.recordingUrl);
  if (input.users.length !== 1) throw invalid('users', 'must contain exactly one user for now');
  const minimum = await minimumCallSeconds(db, input.accountId);
  if (input.durationSeconds !== 0 && input.durationSeconds < minimum) {
    throw invalid('duration', `must be at least the account's minimum call duration (${minimum} seconds)`);
  }
  const created = await db.transaction(async (tx) => {
    const contactIds = await resolveCallContacts(tx, input.accountId, input.contacts, input.actor);
    const userId = await resolveCallUser(tx, input.accountId, input.users[0] as CallUserRef);
    const tagIds = input.tags ? await resolveCallTags(tx, input.accountId, input.tags) : [];
    const isUpload = input.recordingUrl === undefined;
    const [call] = await tx
      .insert(calls)
      .values({
        accountId: input.accountId,
        title: input.title?.trim() || defaultTitle(input),
        startedAt: input.startedAt,
        direction: input.direction,
        provider: input.provider,
        durationSeconds: input.durationSeconds,
        language: input.language ?? null,
        userId,
        externalId: input.externalId ?? null,
        crmActivityType: 'call',
        crmAccountId: input.crmAccount?.crmId ?? null,
        crmAccountProvider: input.crmAccount?.crm ?? null,
        crmDealId: input.crmDeal?.crmId ?? null,
        crmDealProvider: input.crmDeal?.crm ?? null,
        state: isUpload ? 'pending_upload' : 'pending_download',
        recordingSourceUrl: input.recordingUrl ?? null,
        recordingExtension: input.recordingExtension,
        uploadExpiresAt: isUpload ? sql`now() + make_interval(secs => ${UPLOAD_LINK_SECONDS})` : null,
      })
      .returning();
    if (!call) throw new Error('call insert returned no row');
    if (contactIds.length > 0) {
      await tx.insert(callContacts).values(
        contactIds.map((contactId, position) => ({
          accountId: input.accountId,
          callId: call.id,
          contactId,
          position,
        })),
      );
    }
    if (tagIds.length > 0) {
      await tx
        .insert(callTagLinks)
        .values(tagIds.map((tagId) => ({ accountId: input.accountId, callId: call.id, tagId })));
    }
    const payload = { accountId: input.accountId, callId: call.id };
    if (isUpload) {
      // A safety net for an upload whose completion hook was lost, and the end of an unused link.
      await enqueue(tx, expireCallUploadJob, payload, {
        accountId: input.accountId,
        delayMs: (UPLOAD_LINK_SECONDS + 60) * 1000,
      });
    } else {
      await enqueue(tx, processCallJob, payload, {
        accountId: input.accountId,
        dedupeKey: `call:${call.id}`,
        ...(deps.notifier && { notifier: deps.notifier }),
      });
    }
    await recordEvent(tx, callCreated, {
      accountId: input.accountId,
      aggregateId: call.id,
      payload: { call: await snapshotCall(tx, call) },
      actor: input.actor,
    });
    return call;
  });
  const uploadUrl =
    input.recordingUrl === undefined
      ? deps.storage.signedUrl(recordingKeyOf(created.accountId, created.id, created.recordingExtension), {
          method: 'PUT',
          expiresInSeconds: UPLOAD_LINK_SECONDS,
          maxBytes: deps.maxRecordingBytes,
        })
      : null;
  return { call: created, uploadUrl };
}

function defaultTitle(input: CreateCallInput): string {
  const first = input.contacts[0];
  const who = typeof first === 'object' ? (first.name ?? first.email ?? first.crmId) : first;
  return who === undefined ? 'Call' : `Call with ${String(who)}`;
}
