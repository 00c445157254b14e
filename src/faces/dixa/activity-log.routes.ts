import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { getConversationByDisplayId } from '../../core/conversations/index.js';
import {
  listAccountActivity,
  listConversationActivity,
  type ActivityEntry,
  type ActivityPerson,
} from '../../core/activity-log/index.js';
import { dixaAccess } from './access.js';
import { decodePageKey, DEFAULT_PAGE_LIMIT, pageMeta, pageQuerySchema } from './pagination.js';
import { dataOf } from './schemas.js';

/** Seed ActivityLogUser: only `id` is required; absent details are omitted, never null. */
const activityLogUserSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
});
type ActivityLogUser = z.infer<typeof activityLogUserSchema>;

// The seed's ActivityLogAttribute is a union of object schemas; strict members make the response
// serializer pick exactly one and drop nothing.
const attributeSchema = z.union([
  z.strictObject({ agentId: z.string(), agentName: z.string().optional() }),
  z.strictObject({ agent: activityLogUserSchema }),
  z.strictObject({
    agent: activityLogUserSchema,
    score: z.number().int().optional(),
    message: z.string().optional(),
  }),
  z.strictObject({ tag: z.string() }),
  z.strictObject({
    messageId: z.string(),
    avatarUrl: z.string().optional(),
    fromEndpoint: z.string().optional(),
  }),
  z.strictObject({ message: z.string(), avatarUrl: z.string().optional() }),
  z.strictObject({ agentNames: z.array(z.string()).optional(), queueLabel: z.string().optional() }),
  z.strictObject({ claimedFromType: z.string().optional(), claimedFromLabel: z.string().optional() }),
  z.strictObject({
    transferType: z.string(),
    destinationType: z.string(),
    destinationId: z.string(),
    destinationLabel: z.string().optional(),
    reason: z.string().optional(),
  }),
  z.strictObject({ language: z.string() }),
  z.strictObject({ oldUser: activityLogUserSchema, newUser: activityLogUserSchema }),
  z.strictObject({ subject: z.string().optional() }),
]);
type ActivityAttribute = z.infer<typeof attributeSchema>;

const activityLogEntrySchema = z.object({
  id: z.string(),
  _type: z.string(),
  author: activityLogUserSchema.optional(),
  attributes: attributeSchema.optional(),
  activityType: z.string(),
  conversationId: z.number().int(),
  activityTimestamp: z.string(),
});
type ActivityLogEntry = z.infer<typeof activityLogEntrySchema>;

function toActivityLogUser(person: ActivityPerson): ActivityLogUser {
  return {
    id: person.uuid,
    ...(person.name !== null && { name: person.name }),
    ...(person.email !== null && { email: person.email }),
    ...(person.phoneNumber !== null && { phoneNumber: person.phoneNumber }),
  };
}

/** The seed's *Attribute schema for each activity type; none where the seed has none or we know too little. */
function attributesOf(entry: ActivityEntry): ActivityAttribute | undefined {
  const d = entry.details;
  switch (entry.activityType) {
    case 'ConversationCreatedByCustomer':
    case 'ConversationCreatedByAgent':
      return d.subject === undefined ? undefined : { subject: d.subject };
    case 'MessageAddedByCustomer':
    case 'MessageAddedByAgent':
      return d.message && { messageId: d.message.uuid };
    case 'NoteAdded':
      return d.message && { message: d.message.content ?? '' };
    case 'ConversationAssigned':
      return d.agent && { agentId: d.agent.uuid, ...(d.agent.name !== null && { agentName: d.agent.name }) };
    case 'ConversationUnassigned':
      return d.agent && { agent: toActivityLogUser(d.agent) };
    case 'TagAdded':
    case 'TagRemoved':
      return d.tag === undefined ? undefined : { tag: d.tag };
    case 'ConversationOffered':
      return {
        agentNames: (d.agents ?? []).flatMap((agent) => agent.name ?? []),
        ...(d.queue && { queueLabel: d.queue.name }),
      };
    case 'ConversationClaimed':
      if (d.fromAgent)
        return { claimedFromType: 'Agent', claimedFromLabel: d.fromAgent.name ?? d.fromAgent.uuid };
      return d.queue && { claimedFromType: 'Queue', claimedFromLabel: d.queue.name };
    case 'TransferSuccessful':
      return (
        d.queue && {
          transferType: 'Queue',
          destinationType: 'Queue',
          destinationId: d.queue.uuid ?? '',
          destinationLabel: d.queue.name,
        }
      );
    case 'ConversationRated':
      return (
        d.agent && {
          agent: toActivityLogUser(d.agent),
          ...(d.score !== undefined && { score: d.score }),
          ...(d.comment !== undefined && { message: d.comment }),
        }
      );
    case 'ConversationLanguageUpdated':
      return d.language === undefined ? undefined : { language: d.language };
    case 'ConversationEndUserReplaced':
      return d.oldEndUser && d.newEndUser
        ? { oldUser: toActivityLogUser(d.oldEndUser), newUser: toActivityLogUser(d.newEndUser) }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * `activityType` is the deprecated twin of `_type`: Dixa renders such fields as the name of the
 * seed's schema for the value (its anonymization requests show `"entityType": "MessageAnonymizationType"`
 * beside `"_type": "Message"`), so it is `<_type>ActivityType`, except Reserved, whose schema is named
 * ConversationReservedType.
 */
const deprecatedTypeOf = (type: string) =>
  type === 'ConversationReserved' ? 'ConversationReservedType' : `${type}ActivityType`;

function toActivityLogEntry(entry: ActivityEntry): ActivityLogEntry {
  const attributes = attributesOf(entry);
  return {
    id: entry.uuid,
    _type: entry.activityType,
    ...(entry.author && { author: toActivityLogUser(entry.author) }),
    ...(attributes && { attributes }),
    activityType: deprecatedTypeOf(entry.activityType),
    conversationId: entry.conversationDisplayId,
    activityTimestamp: entry.occurredAt.toISOString(),
  };
}

const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const conversationParams = z.object({
  conversationId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
// PostgreSQL has no year 0, which JavaScript accepts; such a date is the client's mistake, not a 500.
const isStorable = (value: string) => {
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).getUTCFullYear() >= 1;
};
const dateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T/, 'must be an ISO 8601 date-time')
  .refine(isStorable, 'must be an ISO 8601 date-time')
  .transform((value) => new Date(value));
const listQuery = pageQuerySchema.extend({
  fromDatetime: dateTime.optional(),
  toDatetime: dateTime.optional(),
});
const cursorSchema = z.object({
  occurredAt: z.iso.datetime().refine(isStorable),
  id: z.number().int().positive(),
});
const tags = ['dixa'];

/** The conversation activity log, per conversation and organization-wide. */
export function registerDixaActivityLogRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/conversations/activitylog',
    {
      schema: {
        tags,
        summary: 'List all activity logs for an organization',
        querystring: listQuery,
        response: {
          200: z.object({
            data: z.array(activityLogEntrySchema),
            meta: z.object({ next: z.string().optional(), previous: z.string().optional() }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const { fromDatetime, toDatetime, pageLimit, pageKey } = request.query;
      const key = decodePageKey(pageKey, cursorSchema);
      const page = await listAccountActivity(ctx.db, {
        accountId: access.accountId,
        from: fromDatetime,
        to: toDatetime,
        limit: pageLimit ?? DEFAULT_PAGE_LIMIT,
        cursor: key && { position: key.cursor, direction: key.direction },
      });
      return { data: page.items.map(toActivityLogEntry), meta: pageMeta(request, page) };
    },
  );

  app.get(
    '/v1/conversations/:conversationId/activitylog',
    {
      schema: {
        tags,
        summary: 'Get the activity log of a conversation',
        params: conversationParams,
        response: { 200: z.object({ data: z.array(activityLogEntrySchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const conversation = await getConversationByDisplayId(
        ctx.db,
        access.accountId,
        request.params.conversationId,
      );
      const entries = await listConversationActivity(ctx.db, access.accountId, conversation.id);
      return dataOf(entries.map(toActivityLogEntry));
    },
  );
}
