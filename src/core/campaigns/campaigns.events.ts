import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { CampaignRow } from './campaigns.tables.js';

const campaignPayload = z.object({
  id: z.number(),
  name: z.string(),
  mode: z.string(),
  isPaused: z.boolean(),
  isArchived: z.boolean(),
  lastUpdatedBy: z.string(),
});

export function campaignEventPayload(row: CampaignRow): z.infer<typeof campaignPayload> {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    isPaused: row.isPaused,
    isArchived: row.isArchived,
    lastUpdatedBy: row.lastUpdatedBy,
  };
}

/** An outbound campaign was created (it starts paused). */
export const campaignCreated = defineEvent({
  type: 'campaign.created',
  aggregateType: 'campaign',
  version: 1,
  description: 'An outbound campaign was created.',
  payloadSchema: campaignPayload,
});

/** A campaign's settings, fields, agents or state (paused, archived) changed. */
export const campaignUpdated = defineEvent({
  type: 'campaign.updated',
  aggregateType: 'campaign',
  version: 1,
  description: "A campaign's settings, custom fields, agents or paused/archived state changed.",
  payloadSchema: campaignPayload.extend({ changed: z.array(z.string()) }),
});

/** A campaign was deleted with its contacts. */
export const campaignDeleted = defineEvent({
  type: 'campaign.deleted',
  aggregateType: 'campaign',
  version: 1,
  description: 'A campaign was deleted permanently, with its contacts.',
  payloadSchema: campaignPayload,
});
