import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { LabelRow } from './labels.tables.js';

const labelPayload = z.object({
  id: z.number(),
  uuid: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  description: z.string().nullable(),
  state: z.enum(['active', 'inactive']),
});

export function labelEventPayload(row: LabelRow): z.infer<typeof labelPayload> {
  return {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    color: row.color,
    description: row.description,
    state: row.state,
  };
}

/** A tag was added to the catalogue by an administrator (tags created by tagging are not announced). */
export const labelCreated = defineEvent({
  type: 'label.created',
  aggregateType: 'label',
  version: 1,
  description: 'A label (tag) was added to the catalogue.',
  payloadSchema: labelPayload,
});

/** A tag was activated or deactivated. */
export const labelUpdated = defineEvent({
  type: 'label.updated',
  aggregateType: 'label',
  version: 1,
  description: 'A label (tag) changed: activated or deactivated.',
  payloadSchema: labelPayload,
});
