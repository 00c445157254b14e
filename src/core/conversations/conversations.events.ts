import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import { contactSnapshotSchema } from '../contacts/contacts.events.js';

const userSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  displayName: z.string().nullable(),
  email: z.string(),
  avatarUrl: z.string().nullable(),
  availability: z.string(),
});

/** A conversation as events carry it, with the related records a webhook shows inline. */
export const conversationSnapshotSchema = z.object({
  id: z.number(),
  displayId: z.number(),
  uuid: z.string(),
  accountId: z.number(),
  inboxId: z.number(),
  inbox: z.object({ id: z.number(), name: z.string(), channelType: z.string() }),
  contact: contactSnapshotSchema,
  contactInbox: z
    .object({ id: z.number(), sourceId: z.string(), hmacVerified: z.boolean().optional() })
    .nullable(),
  status: z.string(),
  snoozedUntil: z.string().nullable(),
  priority: z.string().nullable(),
  assigneeId: z.number().nullable(),
  assignee: userSummarySchema.nullable(),
  teamId: z.number().nullable(),
  team: z.object({ id: z.number(), name: z.string() }).nullable(),
  labels: z.array(z.string()),
  customAttributes: z.record(z.string(), z.unknown()),
  additionalAttributes: z.record(z.string(), z.unknown()),
  muted: z.boolean(),
  unreadCount: z.number(),
  agentLastSeenAt: z.string().nullable(),
  assigneeLastSeenAt: z.string().nullable(),
  contactLastSeenAt: z.string().nullable(),
  firstReplyCreatedAt: z.string().nullable(),
  waitingSince: z.string().nullable(),
  lastActivityAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConversationSnapshot = z.infer<typeof conversationSnapshotSchema>;

export const attachmentSnapshotSchema = z.object({
  id: z.number(),
  fileType: z.string(),
  fileName: z.string().nullable(),
  contentType: z.string().nullable(),
  byteSize: z.number().nullable(),
  /** Storage key; faces turn it into a signed download URL. */
  blobKey: z.string().nullable(),
  externalUrl: z.string().nullable(),
  coordinates: z.object({ lat: z.number(), long: z.number() }).nullable(),
});
export type AttachmentSnapshot = z.infer<typeof attachmentSnapshotSchema>;

/** Who wrote a message: a contact, an agent (user) or an agent bot. */
export const senderSnapshotSchema = z.object({
  type: z.enum(['contact', 'user', 'agent_bot']),
  id: z.number(),
  name: z.string(),
  email: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  /** Contact senders carry their full snapshot; users and bots only the summary above. */
  contact: contactSnapshotSchema.nullable(),
});
export type SenderSnapshot = z.infer<typeof senderSnapshotSchema>;

export const messageSnapshotSchema = z.object({
  id: z.number(),
  accountId: z.number(),
  conversationId: z.number(),
  conversationDisplayId: z.number(),
  inboxId: z.number(),
  messageType: z.enum(['incoming', 'outgoing', 'activity', 'template']),
  content: z.string().nullable(),
  contentType: z.string(),
  contentAttributes: z.record(z.string(), z.unknown()),
  private: z.boolean(),
  status: z.string(),
  sourceId: z.string().nullable(),
  echoId: z.string().nullable(),
  senderType: z.enum(['contact', 'user', 'agent_bot']).nullable(),
  senderId: z.number().nullable(),
  sender: senderSnapshotSchema.nullable(),
  externalSourceIds: z.record(z.string(), z.unknown()),
  additionalAttributes: z.record(z.string(), z.unknown()),
  attachments: z.array(attachmentSnapshotSchema),
  deleted: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MessageSnapshot = z.infer<typeof messageSnapshotSchema>;

const conversationPayload = z.object({ conversation: conversationSnapshotSchema });

export const conversationCreated = defineEvent({
  type: 'conversation.created',
  aggregateType: 'conversation',
  version: 1,
  description: 'A conversation was opened.',
  payloadSchema: conversationPayload,
});

export const conversationUpdated = defineEvent({
  type: 'conversation.updated',
  aggregateType: 'conversation',
  version: 1,
  description:
    'A conversation changed: assignee, team, priority, labels, custom or additional attributes, last seen, mute.',
  payloadSchema: z.object({
    conversation: conversationSnapshotSchema,
    /** snake_case attribute names as Chatwoot reports them in changed_attributes, with before/after. */
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  }),
});

export const conversationStatusChanged = defineEvent({
  type: 'conversation.status_changed',
  aggregateType: 'conversation',
  version: 1,
  description: 'A conversation was opened, resolved, set pending or snoozed.',
  payloadSchema: z.object({ conversation: conversationSnapshotSchema, previousStatus: z.string() }),
});

export const conversationDeleted = defineEvent({
  type: 'conversation.deleted',
  aggregateType: 'conversation',
  version: 1,
  description: 'A conversation was deleted (with its contact or its inbox).',
  payloadSchema: z.object({ id: z.number(), displayId: z.number(), inboxId: z.number() }),
});

const messagePayload = z.object({
  message: messageSnapshotSchema,
  conversation: conversationSnapshotSchema,
});

export const messageCreated = defineEvent({
  type: 'message.created',
  aggregateType: 'message',
  version: 1,
  description: 'A message, private note or activity was added to a conversation.',
  payloadSchema: messagePayload,
});

export const messageUpdated = defineEvent({
  type: 'message.updated',
  aggregateType: 'message',
  version: 1,
  description: 'A message changed: status, content attributes (form answers), or it was deleted.',
  payloadSchema: messagePayload,
});
