import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import {
  createMessage,
  loadMessageSnapshots,
  messageSnapshotOf,
  type AttachmentInput,
} from '../../core/conversations/index.js';
import type { SenderType } from '../../core/conversations/conversations.tables.js';
import { listMessagesBefore } from '../../core/conversations/message-pages.js';
import { findMember } from '../../core/identity/members.js';
import { publishTyping, type TypingPerformer } from '../../core/presence/typing.js';
import { accountAccess } from '../shared/access.js';
import { ATTACHMENT_MAX_BYTES, readMessageParts, removeBlobs } from '../shared/message-uploads.js';
import { commonErrors, idParam } from './schemas.js';
import { messageSchema, toMessageDto } from './conversations.map.js';
import { conversationFor, conversationParams, loadConversationFor } from './conversations.routes.js';

const MAX_FILES = 10;
const CONTENT_MAX_LENGTH = 150_000;

const listQuery = z.object({
  /** A message id: the page ends just before it. Pass the previous page's nextCursor. */
  before: idParam.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const jsonBody = z.object({
  content: z.string().trim().min(1).max(CONTENT_MAX_LENGTH),
  private: z.boolean().default(false),
});

const multipartFields = z.object({
  content: z.string().trim().max(CONTENT_MAX_LENGTH).optional(),
  private: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

interface Reply {
  content: string | null;
  isPrivate: boolean;
  files: AttachmentInput[];
}

/** The author of an agent's reply: the agent, a bot, or nobody for an account API key. */
function senderOf(access: AccountAccess): { type: SenderType; id: number } | null {
  if (access.principal.kind === 'user') return { type: 'user', id: access.principal.userId };
  if (access.principal.kind === 'agent_bot') return { type: 'agent_bot', id: access.principal.botId };
  return null;
}

async function performerOf(ctx: AppContext, access: AccountAccess): Promise<TypingPerformer> {
  const { principal } = access;
  if (principal.kind === 'user') {
    const member = await findMember(ctx.db, access.accountId, principal.userId);
    return { type: 'user', id: principal.userId, name: member?.displayName ?? member?.name ?? '' };
  }
  if (principal.kind === 'agent_bot') return { type: 'agent_bot', id: principal.botId, name: 'Agent bot' };
  return { type: 'user', id: 0, name: 'API' };
}

function invalidReply(issues: { path: string; message: string }[]): DomainError {
  return new DomainError(
    'VALIDATION_FAILED',
    `Invalid message: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    issues,
  );
}

/**
 * A multipart reply: `content`, `private` and any number of file parts (`files[]`), streamed into
 * storage as they arrive, before the message's transaction (a slow upload holds no row lock).
 */
function readMultipart(ctx: AppContext, request: FastifyRequest, accountId: number): Promise<Reply> {
  return readMessageParts(ctx, request, accountId, (fields, files) => {
    const parsed = multipartFields.safeParse(Object.fromEntries(fields));
    if (!parsed.success) {
      throw invalidReply(
        parsed.error.issues.map((issue) => ({
          path: `body.${issue.path.join('.')}`,
          message: issue.message,
        })),
      );
    }
    const content = parsed.data.content || null;
    if (content === null && files.length === 0) {
      throw invalidReply([{ path: 'body.content', message: 'a message needs content or a file' }]);
    }
    return { content, isPrivate: parsed.data.private, files };
  });
}

/** A conversation's thread (older pages on demand), replies and notes, and the agent's typing. */
export function registerNativeMessageRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/conversations/:conversationId';
  const tags = ['conversations'];

  app.get(
    `${base}/messages`,
    {
      schema: {
        tags,
        summary: "A page of the conversation's messages, oldest first",
        description:
          'Without `before`, the latest messages; `nextCursor` is the `before` of the page of older ' +
          'ones (null when there are none). Private notes are included.',
        params: conversationParams,
        querystring: listQuery,
        response: {
          200: z.object({ data: z.array(messageSchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { access, row } = await loadConversationFor(ctx, request, request.params);
      const page = await listMessagesBefore(ctx.db, access.accountId, row.id, request.query);
      const snapshots = await loadMessageSnapshots(
        ctx.db,
        access.accountId,
        page.rows,
        new Map([[row.id, row.displayId]]),
      );
      const oldest = page.rows[0];
      return {
        data: page.rows.flatMap((message) => {
          const snapshot = snapshots.get(message.id);
          return snapshot ? [toMessageDto(snapshot, ctx.storage)] : [];
        }),
        nextCursor: page.hasOlder && oldest ? String(oldest.id) : null,
      };
    },
  );

  app.post(
    `${base}/typing`,
    {
      schema: {
        tags,
        summary: 'Tell the contact and the other agents that the caller is typing (or stopped)',
        params: conversationParams,
        body: z.object({ typing: z.boolean() }),
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { access, row } = await loadConversationFor(ctx, request, request.params);
      await publishTyping(ctx.bus, {
        accountId: access.accountId,
        conversation: { id: row.id, displayId: row.displayId, inboxId: row.inboxId },
        performer: await performerOf(ctx, access),
        isTyping: request.body.typing,
      });
      return reply.status(204).send(null);
    },
  );

  // Multipart is parsed in this scope only: the rest of the API keeps refusing it.
  void app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      limits: { fileSize: ATTACHMENT_MAX_BYTES, files: MAX_FILES, fields: 20 },
    });
    scope.post(
      `${base}/messages`,
      {
        schema: {
          tags,
          summary: 'Reply to the contact, or write a private note',
          description:
            'JSON `{content, private?}`, or multipart with `content`, `private` ("true"/"false") and ' +
            `file parts (\`files[]\`, up to ${MAX_FILES} of 40 MB each).`,
          params: conversationParams,
          // Multipart requests carry no parsed body; their fields are validated as they are read.
          body: jsonBody.nullish(),
          response: { 201: messageSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const access = await accountAccess(ctx.db, request, request.params.accountId);
        // Checked before a multipart upload is stored, so an unknown conversation stores nothing.
        const row = await conversationFor(ctx.db, access, request.params.conversationId);
        let input: Reply;
        if (request.isMultipart()) {
          input = await readMultipart(ctx, request, access.accountId);
        } else {
          const body = jsonBody.safeParse(request.body ?? {});
          if (!body.success) {
            throw invalidReply(
              body.error.issues.map((issue) => ({
                path: `body.${issue.path.join('.')}`,
                message: issue.message,
              })),
            );
          }
          input = { content: body.data.content, isPrivate: body.data.private, files: [] };
        }
        let snapshot;
        try {
          const created = await ctx.db.transaction((tx) =>
            createMessage(tx, {
              accountId: access.accountId,
              conversationId: row.id,
              messageType: 'outgoing',
              content: input.content,
              private: input.isPrivate,
              sender: senderOf(access),
              attachments: input.files,
              actor: access.actor,
            }),
          );
          snapshot = created.snapshot ?? (await messageSnapshotOf(ctx.db, created.message));
        } catch (error) {
          await removeBlobs(ctx, input.files);
          throw error;
        }
        return reply.status(201).send(toMessageDto(snapshot, ctx.storage));
      },
    );
  });
}
