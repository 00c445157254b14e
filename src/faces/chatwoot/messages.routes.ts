import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import {
  createMessage,
  deleteMessage,
  listMessages,
  loadConversationView,
  loadMessageSnapshots,
  messageSnapshotOf,
  type AttachmentInput,
} from '../../core/conversations/index.js';
import {
  lockConversationForMessage,
  readConversationForMessage,
  type LockedForMessage,
} from '../../core/conversations/lock-for-message.js';
import { createMessageIfUnchanged } from '../../core/conversations/create-message-if-unchanged.js';
import type { CreateMessageInput } from '../../core/conversations/create-message.js';
import type { MessageSnapshot } from '../../core/conversations/conversations.events.js';
import { loadSenderSnapshot } from '../../core/conversations/message-snapshots.js';
import type { ConversationRow } from '../../core/conversations/conversations.tables.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import type { Db } from '../../platform/db/database.js';
import { chatwootMessageSchema, toChatwootMessage } from './serializers/message.js';
import {
  chatwootConversationAssigneeSchema,
  chatwootConversationSenderSchema,
  toChatwootConversationAssignee,
  toChatwootConversationSender,
} from './serializers/conversation.js';
import {
  conversationFor,
  conversationParams,
  errorResponses,
  senderOf,
  visibleToUserId,
} from './conversation-scope.js';
import { chatwootAccess } from './access.js';
import { readMessageParts, removeBlobs } from '../shared/message-uploads.js';
import { railsFormFromFields } from './rails-bodies.js';
import { coerceFormBody } from './form-coercion.js';

const booleanish = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/** Seed `conversation_message_create_payload`, plus Chatwoot's echo_id and source_id. */
const createBody = z.object({
  content: z.string().max(150_000).nullable().optional(),
  message_type: z.enum(['outgoing', 'incoming']).default('outgoing'),
  private: booleanish.default(false),
  content_type: z.enum(['text', 'input_email', 'cards', 'input_select', 'form', 'article']).default('text'),
  content_attributes: jsonObject().default({}),
  campaign_id: z.coerce.number().int().optional(),
  template_params: jsonObject().optional(),
  echo_id: z.string().max(255).optional(),
  source_id: z.string().max(255).optional(),
});
type CreateBody = z.infer<typeof createBody>;

const messagesQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  after: z.coerce.number().int().positive().optional(),
});

const messagesPageSchema = z.object({
  meta: z.object({
    labels: z.array(z.string()),
    additional_attributes: z.record(z.string(), z.unknown()),
    contact: chatwootConversationSenderSchema,
    // The seed types these without null: no assignee, or never seen, leaves them out.
    assignee: chatwootConversationAssigneeSchema.optional(),
    agent_last_seen_at: z.string().optional(),
    assignee_last_seen_at: z.string().optional(),
  }),
  payload: z.array(chatwootMessageSchema),
});

/** Multipart fields arrive as strings; content_attributes and template_params may be JSON text. */
function decodeJsonFields(fields: Record<string, unknown>): Record<string, unknown> {
  const decoded = { ...fields };
  for (const name of ['content_attributes', 'template_params']) {
    const value = decoded[name];
    if (typeof value !== 'string') continue;
    try {
      decoded[name] = JSON.parse(value) as unknown;
    } catch {
      throw new DomainError('VALIDATION_FAILED', `${name} must be JSON`, [
        { path: name, message: 'must be JSON' },
      ]);
    }
  }
  return decoded;
}

/** Reads a multipart message: fields into a body, `attachments[]` files streamed into storage. */
function readMultipart(
  ctx: AppContext,
  request: FastifyRequest,
  accountId: number,
): Promise<{ body: CreateBody; files: AttachmentInput[] }> {
  return readMessageParts(ctx, request, accountId, (fields, files) => {
    const parsed = createBody.safeParse(
      coerceFormBody(decodeJsonFields(railsFormFromFields(fields)), createBody),
    );
    if (!parsed.success) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Invalid message',
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    return { body: parsed.data, files };
  });
}

async function renderMessagesPage(
  ctx: AppContext,
  row: ConversationRow,
  query: z.infer<typeof messagesQuery>,
) {
  const [view, rows] = await Promise.all([
    loadConversationView(ctx.db, row),
    listMessages(ctx.db, row.accountId, row.id, query),
  ]);
  const snapshots = await loadMessageSnapshots(ctx.db, row.accountId, rows);
  return {
    meta: {
      labels: view.conversation.labels,
      additional_attributes: view.conversation.additionalAttributes,
      contact: toChatwootConversationSender(view.conversation.contact),
      assignee: toChatwootConversationAssignee(view.conversation),
      agent_last_seen_at: view.conversation.agentLastSeenAt ?? undefined,
      assignee_last_seen_at: view.conversation.assigneeLastSeenAt ?? undefined,
    },
    payload: rows.flatMap((message) => {
      const snapshot = snapshots.get(message.id);
      return snapshot ? [toChatwootMessage(snapshot, ctx.storage)] : [];
    }),
  };
}

/** conversationFor's access check, on what the message route read with the conversation. */
function assertMayPost(access: AccountAccess, read: LockedForMessage): void {
  const userId = visibleToUserId(access);
  if (userId !== null && read.conversation.assigneeId !== userId && !read.isInboxMember) {
    throw new DomainError('FORBIDDEN', 'You are not a member of the inbox of this conversation');
  }
}

/**
 * conversationFor's row and access check, read under the row lock inside the message's
 * transaction, with what the message's writes need read first (`lockConversationForMessage`):
 * one statement instead of a read, an inbox membership read, the lock's read and the relations'.
 */
async function lockConversationFor(
  tx: Db,
  access: AccountAccess,
  displayId: number,
): Promise<LockedForMessage> {
  const locked = await lockConversationForMessage(tx, access.accountId, displayId, visibleToUserId(access));
  assertMayPost(access, locked);
  return locked;
}

/** The message a request asks for, on the conversation `row`. */
function messageInput(
  access: AccountAccess,
  row: ConversationRow,
  body: CreateBody,
  caller: ReturnType<typeof senderOf> | null,
  files: AttachmentInput[],
): CreateMessageInput {
  return {
    accountId: access.accountId,
    conversationId: row.id,
    messageType: body.message_type,
    content: body.content ?? null,
    contentType: body.content_type,
    contentAttributes: body.content_attributes,
    private: body.private,
    echoId: body.echo_id ?? null,
    sourceId: body.source_id ?? null,
    sender: body.message_type === 'incoming' ? { type: 'contact', id: row.contactId } : caller,
    attachments: files,
    additionalAttributes: {
      ...(body.template_params ? { template_params: body.template_params } : {}),
      ...(body.campaign_id !== undefined ? { campaign_id: body.campaign_id } : {}),
    },
    actor: access.actor,
  };
}

/**
 * Most messages (an agent's, a bot's or an API key's, with no files or echo or source id) are
 * written without a transaction: the conversation read with what the writes need, then one
 * statement that applies only to the row as read (`createMessageIfUnchanged`). Null when that
 * statement wrote nothing (the conversation changed meanwhile): the caller writes under the lock.
 */
async function createWithoutLock(
  ctx: AppContext,
  access: AccountAccess,
  displayId: number,
  body: CreateBody,
  caller: ReturnType<typeof senderOf> | null,
): Promise<MessageSnapshot | null> {
  const [read, sender] = await Promise.all([
    readConversationForMessage(ctx.db, access.accountId, displayId, visibleToUserId(access)),
    loadSenderSnapshot(ctx.db, access.accountId, caller),
  ]);
  assertMayPost(access, read);
  return createMessageIfUnchanged(ctx.db, read, {
    ...messageInput(access, read.conversation, body, caller, []),
    prepared: { ...read, sender },
  });
}

export function registerMessagesRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/conversations/:conversation_id/messages';
  const listOptions = {
    schema: {
      tags: ['chatwoot'],
      params: conversationParams,
      querystring: messagesQuery,
      response: { 200: messagesPageSchema, ...errorResponses },
    },
  };
  const listHandler = async (
    request: FastifyRequest<{
      Params: z.infer<typeof conversationParams>;
      Querystring: z.infer<typeof messagesQuery>;
    }>,
  ) => {
    const access = await chatwootAccess(ctx.db, request, request.params.account_id);
    const row = await conversationFor(ctx, access, request.params.conversation_id);
    return renderMessagesPage(ctx, row, request.query);
  };
  app.get(base, listOptions, listHandler);
  // The seed also lists this path without /api/v1 and with no security; it still needs a token
  // here, because it reads another account's conversations otherwise.
  app.get('/accounts/:account_id/conversations/:conversation_id/messages', listOptions, listHandler);

  app.post(
    base,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        // Multipart requests carry no parsed body; they are validated field by field below.
        body: createBody.nullish(),
        response: { 200: chatwootMessageSchema, ...errorResponses },
      },
      config: { readsMultipartFiles: true },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, {
        allowsAgentBot: true,
      });
      // A multipart body is stored before the transaction, so its conversation is checked first
      // (an unknown one stores nothing); a JSON body's is read with the lock, in the transaction.
      const checked = request.isMultipart()
        ? await conversationFor(ctx, access, request.params.conversation_id)
        : null;
      const { body, files } = request.isMultipart()
        ? await readMultipart(ctx, request, access.accountId)
        : { body: request.body ?? createBody.parse({}), files: [] };
      try {
        // An incoming message posted through the API is the contact's (Chatwoot's API channel);
        // any other is the caller's, read beside the conversation.
        const caller = body.message_type === 'incoming' ? null : senderOf(access);
        // The messages `isKnownBeforeWritten` admits (create-message.ts), told from the request. A
        // multipart request has read its conversation already: it stays on the locked path.
        const mayWriteWithoutLock =
          checked === null && body.message_type !== 'incoming' && !body.echo_id && !body.source_id;
        const unlocked = mayWriteWithoutLock
          ? await createWithoutLock(ctx, access, request.params.conversation_id, body, caller)
          : null;
        if (unlocked) return toChatwootMessage(unlocked, ctx.storage);
        const created = await ctx.db.transaction(async (tx) => {
          const { row, locking } = checked
            ? { row: checked, locking: {} }
            : await Promise.all([
                lockConversationFor(tx, access, request.params.conversation_id),
                loadSenderSnapshot(tx, access.accountId, caller),
              ]).then(([locked, callerSnapshot]) => ({
                row: locked.conversation,
                locking: {
                  lockedConversation: locked.conversation,
                  prepared: { ...locked, sender: callerSnapshot },
                },
              }));
          return createMessage(tx, { ...messageInput(access, row, body, caller, files), ...locking });
        });
        if (created.isDuplicate) await removeBlobs(ctx, files);
        return toChatwootMessage(
          created.snapshot ?? (await messageSnapshotOf(ctx.db, created.message)),
          ctx.storage,
        );
      } catch (error) {
        await removeBlobs(ctx, files);
        throw error;
      }
    },
  );

  app.delete(
    `${base}/:message_id`,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams.extend({ message_id: z.coerce.number().int().positive() }),
        response: { 200: chatwootMessageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const row = await conversationFor(ctx, access, request.params.conversation_id);
      const { message, removedBlobKeys } = await ctx.db.transaction((tx) =>
        deleteMessage(tx, {
          accountId: access.accountId,
          conversationId: row.id,
          messageId: request.params.message_id,
          actor: access.actor,
        }),
      );
      for (const key of removedBlobKeys) await ctx.storage.delete(key).catch(() => false);
      return toChatwootMessage(await messageSnapshotOf(ctx.db, message), ctx.storage);
    },
  );
}
