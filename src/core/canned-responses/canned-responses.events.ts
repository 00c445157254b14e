import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { CannedResponseRow } from './canned-responses.tables.js';

const cannedResponsePayload = z.object({ id: z.number(), shortCode: z.string(), content: z.string() });

export function cannedResponseEventPayload(row: CannedResponseRow): z.infer<typeof cannedResponsePayload> {
  return { id: row.id, shortCode: row.shortCode, content: row.content };
}

/** A canned response (saved reply) was created. */
export const cannedResponseCreated = defineEvent({
  type: 'canned_response.created',
  aggregateType: 'canned_response',
  version: 1,
  description: 'A canned response was created.',
  payloadSchema: cannedResponsePayload,
});

/** A canned response's short code or content changed. */
export const cannedResponseUpdated = defineEvent({
  type: 'canned_response.updated',
  aggregateType: 'canned_response',
  version: 1,
  description: "A canned response's short code or content changed.",
  payloadSchema: cannedResponsePayload,
});

/** A canned response was deleted. */
export const cannedResponseDeleted = defineEvent({
  type: 'canned_response.deleted',
  aggregateType: 'canned_response',
  version: 1,
  description: 'A canned response was deleted.',
  payloadSchema: cannedResponsePayload,
});
