import { z } from 'zod';
import type { EventRow } from '../../platform/events/events.tables.js';
import {
  conversationSnapshotSchema,
  messageSnapshotSchema,
  type ConversationSnapshot,
} from '../../core/conversations/conversations.events.js';
import { contactSnapshotSchema } from '../../core/contacts/contacts.events.js';
import type { DixaWebhookEvent } from './webhook-events.js';
import type { DixaLookups } from './webhook-lookups.js';
import { conversationOf, endUserOf, endUserOfRow, memberOf, queueOf, type Json } from './webhook-payloads.js';

export interface DixaEvent {
  event: DixaWebhookEvent;
  data: Json;
}

type Renderer = (event: EventRow, lookups: DixaLookups) => DixaEvent[];

/*
 * Matched on event type strings, with each payload parsed here, so this format needs no import
 * from modules that emit them (routing, ratings) and skips a payload it does not understand.
 */

const queueRef = z.object({ uuid: z.string(), name: z.string() });
const withConversation = z.object({ conversation: conversationSnapshotSchema }).loose();
const changeOf = z.object({ from: z.unknown(), to: z.unknown() });

function parse<T extends z.ZodType>(schema: T, event: EventRow): z.infer<T> | null {
  const parsed = schema.safeParse(event.payload);
  return parsed.success ? parsed.data : null;
}

/** The user who acted, when a user did. */
function actorMember(event: EventRow, lookups: DixaLookups): Json | null {
  const actor = event.actor;
  return actor?.type === 'user' && typeof actor.id === 'number' ? memberOf(lookups.user(actor.id)) : null;
}

function onConversation(name: DixaWebhookEvent): Renderer {
  return (event, lookups) => {
    const payload = parse(withConversation, event);
    return payload
      ? [{ event: name, data: { conversation: conversationOf(payload.conversation, lookups) } }]
      : [];
  };
}

const messageCreated: Renderer = (event, lookups) => {
  const payload = parse(
    z.object({ conversation: conversationSnapshotSchema, message: messageSnapshotSchema }),
    event,
  );
  if (!payload || payload.message.messageType === 'activity') return [];
  const { message, conversation } = payload;
  const author =
    message.senderType === 'user'
      ? memberOf(lookups.user(message.senderId))
      : message.sender?.contact
        ? endUserOf(lookups, message.accountId, message.sender.contact)
        : null;
  const conversationJson = conversationOf(conversation, lookups);
  const common = {
    message_id: lookups.messageUuid(message.accountId, message.id),
    text: message.content,
    author,
    created_at: message.createdAt,
    conversation: conversationJson,
  };
  if (message.private) return [{ event: 'ConversationNoteAdded', data: common }];
  const data = {
    ...common,
    channel: conversationJson.channel,
    direction: message.messageType === 'incoming' ? 'inbound' : 'outbound',
    external_id: message.sourceId,
    content: {
      text: message.content,
      content_type: 'Text',
      original_content_url: null,
      processed_content_url: null,
    },
    attachments: message.attachments.map((attachment) => ({
      file_name: attachment.fileName,
      content_type: attachment.contentType,
    })),
  };
  return [{ event: 'ConversationMessageAdded', data }];
};

const labelList = z.array(z.string()).catch([]);

function tagEvents(conversation: Json, change: z.infer<typeof changeOf>, author: Json | null): DixaEvent[] {
  const before = labelList.parse(change.from);
  const after = labelList.parse(change.to);
  const tagged = (name: DixaWebhookEvent, tags: string[]) =>
    tags.map((tag): DixaEvent => ({ event: name, data: { tag, author, conversation } }));
  return [
    ...tagged(
      'ConversationTagAdded',
      after.filter((tag) => !before.includes(tag)),
    ),
    ...tagged(
      'ConversationTagRemoved',
      before.filter((tag) => !after.includes(tag)),
    ),
  ];
}

const userId = z.number().nullable().catch(null);

function assignmentEvents(
  conversation: Json,
  change: z.infer<typeof changeOf>,
  lookups: DixaLookups,
): DixaEvent[] {
  const from = userId.parse(change.from);
  const to = userId.parse(change.to);
  if (to !== null)
    return [{ event: 'ConversationAssigned', data: { agent: memberOf(lookups.user(to)), conversation } }];
  if (from !== null) {
    return [{ event: 'ConversationUnassigned', data: { agent: memberOf(lookups.user(from)), conversation } }];
  }
  return [];
}

/** The requester changed: Dixa's "end user replaced", with both end users where still known. */
function endUserReplaced(
  snapshot: ConversationSnapshot,
  conversation: Json,
  change: z.infer<typeof changeOf>,
  lookups: DixaLookups,
): DixaEvent[] {
  const from = userId.parse(change.from);
  const previous = from === null ? null : lookups.contact(snapshot.accountId, from);
  const data = {
    conversation,
    old_requester: previous ? endUserOfRow(previous) : null,
    new_requester: conversation.requester,
  };
  return [{ event: 'ConversationEndUserReplaced', data }];
}

const conversationUpdated: Renderer = (event, lookups) => {
  const payload = parse(
    z.object({ conversation: conversationSnapshotSchema, changes: z.record(z.string(), changeOf) }),
    event,
  );
  if (!payload) return [];
  const conversation = conversationOf(payload.conversation, lookups);
  const { labels, assignee_id: assignee, contact_id: contact } = payload.changes;
  return [
    ...(labels ? tagEvents(conversation, labels, actorMember(event, lookups)) : []),
    ...(assignee ? assignmentEvents(conversation, assignee, lookups) : []),
    ...(contact ? endUserReplaced(payload.conversation, conversation, contact, lookups) : []),
  ];
};

/**
 * Closed, reopened, or put on follow-up. A snooze that ends on its own is reopened by the snooze
 * job with a `system` actor (core/conversations/snooze.jobs.ts): that is Dixa's "pending expired".
 */
const statusChanged: Renderer = (event, lookups) => {
  const payload = parse(
    z.object({ conversation: conversationSnapshotSchema, previousStatus: z.string() }),
    event,
  );
  if (!payload) return [];
  const conversation = conversationOf(payload.conversation, lookups);
  const status = payload.conversation.status;
  const isSnoozeEnd =
    payload.previousStatus === 'snoozed' && status === 'open' && event.actor?.type === 'system';
  const name: DixaWebhookEvent | null = isSnoozeEnd
    ? 'ConversationPendingExpired'
    : status === 'resolved'
      ? 'ConversationClosed'
      : status === 'snoozed'
        ? 'ConversationPending'
        : status === 'open'
          ? 'ConversationOpen'
          : null;
  return name ? [{ event: name, data: { conversation } }] : [];
};

function routed(name: DixaWebhookEvent): Renderer {
  return (event, lookups) => {
    const payload = parse(z.object({ conversation: conversationSnapshotSchema, queue: queueRef }), event);
    if (!payload) return [];
    const data = {
      conversation: conversationOf(payload.conversation, lookups, payload.queue),
      queue: queueOf(payload.queue),
    };
    return [{ event: name, data }];
  };
}

const transferred: Renderer = (event, lookups) => {
  const payload = parse(
    z.object({
      conversation: conversationSnapshotSchema,
      fromQueue: queueRef.nullable(),
      queue: queueRef,
      byUserId: z.number().nullable(),
    }),
    event,
  );
  if (!payload) return [];
  const data = {
    conversation: conversationOf(payload.conversation, lookups, payload.queue),
    queue: queueOf(payload.queue),
    from_queue: queueOf(payload.fromQueue),
    transferred_by: memberOf(lookups.user(payload.byUserId)),
  };
  return [{ event: 'ConversationTransferred', data }];
};

const ratingTypes: Record<string, string> = { csat: 'Csat', thumbs_up_or_down: 'ThumbsUpOrDown' };

const rated: Renderer = (event, lookups) => {
  const payload = parse(
    z.object({
      conversation: conversationSnapshotSchema,
      rating: z.object({
        uuid: z.string(),
        score: z.number().nullable(),
        comment: z.string().nullable(),
        agentId: z.number().nullable(),
        ratingType: z.string(),
      }),
    }),
    event,
  );
  if (!payload) return [];
  const { rating } = payload;
  const data = {
    rating_id: rating.uuid,
    score: rating.score,
    comment: rating.comment,
    type: ratingTypes[rating.ratingType] ?? rating.ratingType,
    agent: memberOf(lookups.user(rating.agentId)),
    conversation: conversationOf(payload.conversation, lookups),
  };
  return [{ event: 'ConversationRated', data }];
};

// Dixa's docs list the ban events without their payloads; these follow the other events' style.
function contactBan(name: DixaWebhookEvent): Renderer {
  return (event, lookups) => {
    const payload = parse(
      z.object({ contact: contactSnapshotSchema, byUserId: z.number().nullable() }),
      event,
    );
    if (!payload) return [];
    const user = endUserOf(lookups, payload.contact.accountId, payload.contact);
    return [{ event: name, data: { user, agent: memberOf(lookups.user(payload.byUserId)) } }];
  };
}

function ipBan(name: DixaWebhookEvent): Renderer {
  return (event, lookups) => {
    const payload = parse(z.object({ ip: z.string(), byUserId: z.number().nullable() }), event);
    if (!payload) return [];
    return [
      { event: name, data: { ip_address: payload.ip, agent: memberOf(lookups.user(payload.byUserId)) } },
    ];
  };
}

/**
 * A merge moves the merged-away contact's conversations to the surviving one: each of them gets a
 * new end user, so each is one ConversationEndUserReplaced.
 */
const contactMerged: Renderer = (event, lookups) => {
  const payload = parse(
    z.object({
      contact: contactSnapshotSchema,
      mergee: z
        .object({
          uuid: z.string(),
          name: z.string(),
          email: z.string().nullable(),
          phoneNumber: z.string().nullable(),
        })
        .optional(),
      movedConversationIds: z.array(z.number()).default([]),
    }),
    event,
  );
  if (!payload) return [];
  const oldRequester = payload.mergee ? endUserOfRow(payload.mergee) : null;
  return payload.movedConversationIds.flatMap((id): DixaEvent[] => {
    const snapshot = lookups.conversationSnapshot(event.accountId, id);
    if (!snapshot) return [];
    const conversation = conversationOf(snapshot, lookups);
    const data = { conversation, old_requester: oldRequester, new_requester: conversation.requester };
    return [{ event: 'ConversationEndUserReplaced', data }];
  });
};

const renderers: Record<string, Renderer> = {
  'conversation.created': onConversation('ConversationCreated'),
  'message.created': messageCreated,
  'conversation.updated': conversationUpdated,
  'conversation.status_changed': statusChanged,
  'conversation.enqueued': routed('ConversationEnqueued'),
  'conversation.abandoned': routed('ConversationAbandoned'),
  'conversation.transferred': transferred,
  'conversation.rated': rated,
  'contact.banned': contactBan('AgentBannedEnduser'),
  'contact.unbanned': contactBan('AgentUnbannedEnduser'),
  'ip.banned': ipBan('AgentBannedIp'),
  'ip.unbanned': ipBan('AgentUnbannedIp'),
  'contact.merged': contactMerged,
};

/**
 * The Dixa events one Parley event stands for (often none, sometimes several: two tags added in
 * one change). Assignment shows as `changes.assignee_id` on conversation.updated whichever path
 * assigned (a claim included), so conversation.claimed adds nothing here.
 */
export function dixaEventsOf(event: EventRow, lookups: DixaLookups): DixaEvent[] {
  return renderers[event.type]?.(event, lookups) ?? [];
}
