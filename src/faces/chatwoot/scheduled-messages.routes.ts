import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import type { ConversationRow } from '../../core/conversations/conversations.tables.js';
import {
  createScheduledMessage,
  deleteScheduledMessage,
  listScheduledMessages,
  loadScheduledMessageAuthors,
  updateScheduledMessage,
  type ScheduledAttachment,
  type ScheduledMessageRow,
} from '../../core/scheduled-messages/index.js';
import { conversationParams, errorResponses, id, loadConversationFor } from './conversation-scope.js';
import { scheduledMessageSchema, toChatwootScheduledMessage } from './scheduled-messages.map.js';
import { readScheduledMessageRequest, scheduledMessageBody } from './scheduled-messages.input.js';

const tags = ['Scheduled Messages'];
const itemParams = conversationParams.extend({ scheduled_message_id: id });

function authorOf(access: AccountAccess) {
  if (access.principal.kind === 'user') return { type: 'user' as const, id: access.principal.userId };
  return null;
}

/**
 * Scheduled messages of one conversation: whoever may write in the conversation may schedule
 * there (Chatwoot's policy). Sending is the job's (core/scheduled-messages), never the request's.
 */
export function registerScheduledMessagesRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/conversations/:conversation_id/scheduled_messages';

  async function render(rows: ScheduledMessageRow[], conversation: ConversationRow) {
    const authors = await loadScheduledMessageAuthors(ctx.db, rows);
    return rows.map((row) =>
      toChatwootScheduledMessage(row, { displayId: conversation.displayId, authors, storage: ctx.storage }),
    );
  }

  async function discard(attachment: ScheduledAttachment | null | undefined): Promise<void> {
    if (attachment) await ctx.storage.delete(attachment.blobKey).catch(() => false);
  }

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List the scheduled messages of a conversation',
        params: conversationParams,
        response: { 200: z.object({ payload: z.array(scheduledMessageSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { row } = await loadConversationFor(ctx, request, request.params);
      return { payload: await render(await listScheduledMessages(ctx.db, row.accountId, row.id), row) };
    },
  );

  app.post(
    base,
    {
      // A multipart body carries the file: this route streams it into storage itself.
      config: { readsMultipartFiles: true },
      schema: {
        tags,
        summary: 'Schedule a message (status pending) or save a draft',
        params: conversationParams,
        // Multipart requests carry no parsed body; they are validated field by field.
        body: scheduledMessageBody.nullish(),
        response: { 200: scheduledMessageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { access, row } = await loadConversationFor(ctx, request, request.params);
      const { fields, stored } = await readScheduledMessageRequest(
        ctx,
        request,
        request.body,
        access.accountId,
      );
      try {
        const created = await createScheduledMessage(ctx.db, {
          accountId: access.accountId,
          conversation: { id: row.id, inboxId: row.inboxId },
          author: authorOf(access),
          fields,
        });
        const [rendered] = await render([created], row);
        if (!rendered) throw new Error('scheduled message not rendered');
        return rendered;
      } catch (error) {
        await discard(stored);
        throw error;
      }
    },
  );

  app.patch(
    `${base}/:scheduled_message_id`,
    {
      config: { readsMultipartFiles: true },
      schema: {
        tags,
        summary: 'Change a draft or pending scheduled message (a new time moves its send)',
        params: itemParams,
        body: scheduledMessageBody.nullish(),
        response: { 200: scheduledMessageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { access, row } = await loadConversationFor(ctx, request, request.params);
      const { fields, stored } = await readScheduledMessageRequest(
        ctx,
        request,
        request.body,
        access.accountId,
      );
      try {
        const changed = await updateScheduledMessage(
          ctx.db,
          { accountId: access.accountId, conversationId: row.id, id: request.params.scheduled_message_id },
          fields,
        );
        await discard(changed.orphanedAttachment);
        const [rendered] = await render([changed.row], row);
        if (!rendered) throw new Error('scheduled message not rendered');
        return rendered;
      } catch (error) {
        await discard(stored);
        throw error;
      }
    },
  );

  app.delete(
    `${base}/:scheduled_message_id`,
    {
      schema: {
        tags,
        summary: 'Delete a draft or pending scheduled message',
        params: itemParams,
        response: { 200: scheduledMessageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { access, row } = await loadConversationFor(ctx, request, request.params);
      const deleted = await deleteScheduledMessage(ctx.db, {
        accountId: access.accountId,
        conversationId: row.id,
        id: request.params.scheduled_message_id,
      });
      const [rendered] = await render([deleted.row], row);
      await discard(deleted.orphanedAttachment);
      if (!rendered) throw new Error('scheduled message not rendered');
      return rendered;
    },
  );
}
