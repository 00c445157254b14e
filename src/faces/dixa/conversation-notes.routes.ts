import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { Actor } from '../../platform/events/outbox.js';
import { toProblem } from '../../platform/http/problem.js';
import type { ConversationRow } from '../../core/conversations/conversations.tables.js';
import { addInternalNote } from '../../core/conversations/internal-notes.js';
import {
  attachTranscriptRelations,
  listTranscript,
} from '../../core/conversations/conversation-transcript.js';
import { dixaAccess } from './access.js';
import { dataOf } from './schemas.js';
import { renderDixaError } from './errors.js';
import {
  bulkCreateInternalNoteInputSchema,
  conversationParams,
  createInternalNoteInputSchema,
  type CreateInternalNoteInput,
} from './conversation-input.js';
import { agentOrActing, dixaConversation, errors, invalidField, tags } from './conversation-lookup.js';
import {
  dixaInternalNoteSchema,
  toDixaInternalNote,
  type DixaInternalNote,
} from './conversation-message.map.js';

/** Seed `BulkActionOutcome_ErrorResponse_InternalNoteData`: `{data}` or `{error: {message}}`. */
const bulkOutcomeSchema = z.union([
  z.object({ data: dixaInternalNoteSchema }),
  z.object({ error: z.object({ message: z.string() }) }),
]);

async function createNote(
  ctx: AppContext,
  conversation: ConversationRow,
  note: CreateInternalNoteInput,
  actor: Actor,
): Promise<DixaInternalNote> {
  const authorId = await agentOrActing(ctx, conversation.accountId, 'agentId', note.agentId, actor);
  const message = await ctx.db.transaction((tx) =>
    addInternalNote(tx, conversation, { authorId, message: note.message, createdAt: note.createdAt }, actor),
  );
  const [entry] = await attachTranscriptRelations(ctx.db, conversation.accountId, [message]);
  if (!entry) throw new Error('note author missing');
  return toDixaInternalNote(entry, conversation);
}

/** Internal notes: list, create one, create several (each answered on its own). */
export function registerDixaConversationNoteRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/conversations/:conversationId/notes',
    {
      schema: {
        tags,
        summary: 'Get all internal notes of a conversation',
        params: conversationParams,
        response: { 200: z.object({ data: z.array(dixaInternalNoteSchema) }), ...errors },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const row = await dixaConversation(ctx, accountId, request.params.conversationId);
      const entries = await listTranscript(ctx.db, accountId, row.id, 'notes');
      return dataOf(entries.map((entry) => toDixaInternalNote(entry, row)));
    },
  );

  app.post(
    '/v1/conversations/:conversationId/notes',
    {
      schema: {
        tags,
        summary: 'Create an internal note in a conversation',
        params: conversationParams,
        body: createInternalNoteInputSchema,
        response: { 201: z.object({ data: dixaInternalNoteSchema }), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request);
      const row = await dixaConversation(ctx, access.accountId, request.params.conversationId);
      return reply.status(201).send(dataOf(await createNote(ctx, row, request.body, access.actor)));
    },
  );

  app.post(
    '/v1/conversations/:conversationId/notes/bulk',
    {
      schema: {
        tags,
        summary: 'Create internal notes in a conversation; each note succeeds or fails on its own',
        params: conversationParams,
        body: bulkCreateInternalNoteInputSchema,
        response: { 200: z.object({ data: z.array(bulkOutcomeSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const row = await dixaConversation(ctx, access.accountId, request.params.conversationId);
      const outcomes: z.infer<typeof bulkOutcomeSchema>[] = [];
      // One after the other, each in its own transaction: a bad note must not undo the good ones.
      for (const [index, item] of request.body.data.entries()) {
        const parsed = createInternalNoteInputSchema.safeParse(item);
        try {
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw invalidField(
              `data.${index}.${issue?.path.join('.') ?? ''}`,
              issue?.message ?? 'is invalid',
            );
          }
          outcomes.push({ data: await createNote(ctx, row, parsed.data, access.actor) });
        } catch (error) {
          const problem = toProblem(error);
          if (problem.status >= 500) throw error;
          outcomes.push({ error: renderDixaError(problem) });
        }
      }
      return dataOf(outcomes);
    },
  );
}
