import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import { anonymizationEntityTypes, type AnonymizationRequestRow } from './anonymization.tables.js';

/** An anonymization request as events carry it: ids only, never the personal data it erases. */
export const anonymizationRequestSnapshotSchema = z.object({
  id: z.string(),
  entityType: z.enum(anonymizationEntityTypes),
  targetId: z.number(),
  targetEntityId: z.string(),
  requestedBy: z.string(),
  initiatedAt: z.string(),
  processedAt: z.string().nullable(),
});

const payloadSchema = z.object({ request: anonymizationRequestSnapshotSchema });

export function anonymizationPayload(row: AnonymizationRequestRow): z.infer<typeof payloadSchema> {
  return {
    request: {
      id: row.id,
      entityType: row.entityType,
      targetId: row.targetId,
      targetEntityId: row.targetEntityId,
      requestedBy: row.requestedBy,
      initiatedAt: row.initiatedAt.toISOString(),
      processedAt: row.processedAt?.toISOString() ?? null,
    },
  };
}

/** Someone asked for an end user, conversation or message to be anonymized. */
export const anonymizationRequested = defineEvent({
  type: 'anonymization.requested',
  aggregateType: 'anonymization_request',
  version: 1,
  description: 'An end user, conversation or message was queued for anonymization.',
  payloadSchema,
});

/** The personal data of the request's entity has been overwritten everywhere Parley keeps it. */
export const anonymizationCompleted = defineEvent({
  type: 'anonymization.completed',
  aggregateType: 'anonymization_request',
  version: 1,
  description: "An anonymization request was carried out: the entity's personal data is gone.",
  payloadSchema,
});
