import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { getConversationByDisplayId } from '../../core/conversations/conversations.js';
import type { ConversationRow } from '../../core/conversations/conversations.tables.js';
import { actingAgentId, findAgentIdByUuid } from '../../core/conversations/conversation-participants.js';

export const tags = ['Dixa conversations'];
const errorBody = z.object({ message: z.string() });
/** Seed error schemas (ErrorResponse, BadRequest, NotFound, …) are all `{message}`. */
export const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/** A Dixa conversation id is the conversation's per-account number; another account's is 404. */
export function dixaConversation(
  ctx: AppContext,
  accountId: number,
  conversationId: number,
): Promise<ConversationRow> {
  return getConversationByDisplayId(ctx.db, accountId, conversationId);
}

/** A 400 naming the field, in the one sentence Dixa's `{message}` body has room for. */
export const invalidField = (field: string, message: string) =>
  new DomainError('VALIDATION_FAILED', `${field} ${message}`);

/** The agent (users.id) a body names by UUID; one that is not an agent of the account is a 400. */
export async function agentOf(
  ctx: AppContext,
  accountId: number,
  field: string,
  uuid: string,
): Promise<number> {
  const id = await findAgentIdByUuid(ctx.db, accountId, uuid);
  if (id === null) throw invalidField(field, 'is not an agent or admin of this organization');
  return id;
}

/** The named agent, else the person behind the token; a token no person stands behind must name one. */
export async function agentOrActing(
  ctx: AppContext,
  accountId: number,
  field: string,
  uuid: string | undefined,
  actor: Actor,
): Promise<number> {
  if (uuid !== undefined) return agentOf(ctx, accountId, field, uuid);
  const acting = await actingAgentId(ctx.db, accountId, actor);
  if (acting === null) throw invalidField(field, 'is required: this token does not belong to an agent');
  return acting;
}
