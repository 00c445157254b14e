import { and, eq, ne, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import type { JobContext } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { conversations } from '../conversations/conversations.tables.js';
import { toggleConversationStatus } from '../conversations/update-conversation.js';
import { anonymizationCompleted, anonymizationPayload } from './anonymization.events.js';
import type { AnonymizeJobPayload } from './anonymization.jobs.js';
import { anonymizationRequests } from './anonymization.tables.js';
import { attachmentKeysOf, scopeOf, type AnonymizationScope } from './anonymization-scope.js';
import { callTextsOf, clearCallText, deleteCallMedia } from './anonymize-calls.js';
import {
  collectPersonalStrings,
  overwriteContact,
  overwriteConversations,
} from './overwrite-personal-data.js';
import { findAnonymizationRequest } from './request-anonymization.js';
import { scrubLogs } from './scrub-logs.js';

export interface AnonymizeDeps {
  db: Db;
  storage: BlobStorage;
  logger: Logger;
}

const SYSTEM: Actor = { type: 'system' };

/** Closes what is still open, as `force` asked (the request refused open conversations without it). */
async function closeOpenConversations(db: Db, scope: AnonymizationScope): Promise<void> {
  if (scope.conversationIds.length === 0) return;
  const open = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, scope.accountId),
        inArray(conversations.id, scope.conversationIds),
        ne(conversations.status, 'resolved'),
      ),
    );
  for (const row of open) {
    await db.transaction((tx) =>
      toggleConversationStatus(tx, {
        accountId: scope.accountId,
        conversationId: row.id,
        status: 'resolved',
        actor: SYSTEM,
      }),
    );
  }
}

async function deleteBlobs(storage: BlobStorage, keys: string[]): Promise<void> {
  for (const key of keys) await storage.delete(key);
}

/**
 * Carries out one anonymization request. Every step is safe to repeat: blobs are deleted before
 * their rows (a crash leaves rows without files, never files without rows), and the overwrite,
 * the log scrub and `processed_at` commit together, so a request is processed exactly once.
 */
export function createAnonymizeHandler(deps: AnonymizeDeps) {
  return async (payload: AnonymizeJobPayload, ctx: JobContext): Promise<void> => {
    const log = deps.logger.child({
      accountId: payload.accountId,
      anonymizationRequestId: payload.requestId,
    });
    const request = await findAnonymizationRequest(deps.db, payload.accountId, payload.requestId);
    if (!request || request.processedAt) {
      log.info('anonymization request already processed or gone');
      return;
    }
    const scope = await scopeOf(deps.db, request);
    await closeOpenConversations(deps.db, scope);
    const callIds = await deleteCallMedia(deps.db, deps, scope, SYSTEM);
    await deleteBlobs(deps.storage, await attachmentKeysOf(deps.db, scope));
    const lateKeys: string[] = [];
    let scrubbed = 0;
    await ctx.complete(async (tx) => {
      lateKeys.push(...(await attachmentKeysOf(tx, scope)));
      const personal = await collectPersonalStrings(tx, scope);
      const strings = {
        ...personal,
        contents: [...personal.contents, ...(await callTextsOf(tx, scope.accountId, callIds))],
      };
      await overwriteContact(tx, scope);
      await overwriteConversations(tx, scope);
      await clearCallText(tx, scope.accountId, callIds);
      scrubbed = await scrubLogs(tx, { ...scope, callIds }, strings);
      const [processed] = await tx
        .update(anonymizationRequests)
        .set({ processedAt: sql`now()` })
        .where(
          and(
            eq(anonymizationRequests.accountId, request.accountId),
            eq(anonymizationRequests.id, request.id),
          ),
        )
        .returning();
      if (processed) {
        await recordEvent(tx, anonymizationCompleted, {
          accountId: processed.accountId,
          aggregateId: processed.id,
          payload: anonymizationPayload(processed),
          actor: SYSTEM,
        });
      }
    });
    // Attachments added while the blobs above were being deleted: their rows are gone now.
    await deleteBlobs(deps.storage, lateKeys);
    log.info(
      {
        entityType: request.entityType,
        conversations: scope.conversationIds.length,
        calls: callIds.length,
        scrubbedLogEntries: scrubbed,
      },
      'anonymization request processed',
    );
  };
}
