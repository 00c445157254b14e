import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

/** A contact as events carry it: enough for any face to render a webhook without reading the database. */
export const contactSnapshotSchema = z.object({
  id: z.number(),
  accountId: z.number(),
  name: z.string(),
  email: z.string().nullable(),
  phoneNumber: z.string().nullable(),
  identifier: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  blocked: z.boolean(),
  contactType: z.string(),
  additionalAttributes: z.record(z.string(), z.unknown()),
  customAttributes: z.record(z.string(), z.unknown()),
  labels: z.array(z.string()),
  lastActivityAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ContactSnapshot = z.infer<typeof contactSnapshotSchema>;

const contactPayload = z.object({ contact: contactSnapshotSchema });
const contactChangePayload = z.object({
  contact: contactSnapshotSchema,
  /** camelCase attribute names that changed, with their values before and after. */
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
});

export const contactCreated = defineEvent({
  type: 'contact.created',
  aggregateType: 'contact',
  version: 1,
  description: 'A contact was created.',
  payloadSchema: contactPayload,
});

export const contactUpdated = defineEvent({
  type: 'contact.updated',
  aggregateType: 'contact',
  version: 1,
  description: "A contact's fields, attributes, labels or blocked flag changed.",
  payloadSchema: contactChangePayload,
});

export const contactDeleted = defineEvent({
  type: 'contact.deleted',
  aggregateType: 'contact',
  version: 1,
  description: 'A contact and its conversations were deleted.',
  payloadSchema: contactPayload,
});

export const contactMerged = defineEvent({
  type: 'contact.merged',
  aggregateType: 'contact',
  version: 1,
  description: 'A contact was merged into another; its conversations and addresses moved to the survivor.',
  payloadSchema: z.object({
    contact: contactSnapshotSchema,
    mergedContactId: z.number(),
    /** The merged-away contact as it was (it no longer exists), for faces that name it. */
    mergee: z
      .object({
        uuid: z.string(),
        name: z.string(),
        email: z.string().nullable(),
        phoneNumber: z.string().nullable(),
      })
      .optional(),
    /** The conversations that moved from the mergee to the surviving contact. */
    movedConversationIds: z.array(z.number()).optional(),
  }),
});

/** A visitor opened or interacted with the web widget (Chatwoot's webwidget_triggered). */
export const widgetTriggered = defineEvent({
  type: 'contact.widget_triggered',
  aggregateType: 'contact',
  version: 1,
  description: 'A web-widget visitor triggered the widget (opened it, or a page event fired).',
  payloadSchema: z.object({
    contact: contactSnapshotSchema,
    inbox: z.object({ id: z.number(), name: z.string() }),
    sourceId: z.string(),
    eventInfo: z.record(z.string(), z.unknown()),
  }),
});
