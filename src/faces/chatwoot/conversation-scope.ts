import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import { DomainError } from '../../platform/errors.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { getConversationByDisplayId, loadConversationView } from '../../core/conversations/index.js';
import type { ConversationRow, SenderType } from '../../core/conversations/conversations.tables.js';
import { isInboxMember } from '../../core/inboxes/inboxes.js';
import { chatwootAccess } from './access.js';
import { toChatwootConversation } from './serializers/conversation.js';

/** What the Chatwoot conversation and message routes share: params, error bodies, who may see what. */
export const errorSchema = z.object({
  description: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string() })),
});
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  422: errorSchema,
};

export const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const accountParams = z.object({ account_id: id });
export const conversationParams = accountParams.extend({ conversation_id: id });

/** Who "me" is; account API keys and bots are nobody's assignee. */
export function meOf(access: AccountAccess): number | null {
  return access.principal.kind === 'user' ? access.principal.userId : null;
}

/** Chatwoot agents (not administrators) see only the inboxes they answer. */
export function visibleToUserId(access: AccountAccess): number | null {
  return access.role === 'agent' && access.principal.kind === 'user' ? access.principal.userId : null;
}

/** Loads a conversation by display id, refusing agents outside its inbox (unless it is theirs). */
export async function conversationFor(
  ctx: AppContext,
  access: AccountAccess,
  displayId: number,
): Promise<ConversationRow> {
  const row = await getConversationByDisplayId(ctx.db, access.accountId, displayId);
  const userId = visibleToUserId(access);
  if (
    userId !== null &&
    row.assigneeId !== userId &&
    !(await isInboxMember(ctx.db, access.accountId, row.inboxId, userId))
  ) {
    throw new DomainError('FORBIDDEN', 'You are not a member of the inbox of this conversation');
  }
  return row;
}

export async function renderConversation(ctx: AppContext, row: ConversationRow) {
  const view = await loadConversationView(ctx.db, row);
  return toChatwootConversation(view.conversation, view.lastMessage, ctx.storage);
}

/** The message's author from the caller: an agent, a bot, or nobody for an account API key. */
export function senderOf(access: AccountAccess): { type: SenderType; id: number } | null {
  if (access.principal.kind === 'user') return { type: 'user', id: access.principal.userId };
  if (access.principal.kind === 'agent_bot') return { type: 'agent_bot', id: access.principal.botId };
  return null;
}

/** Admits the caller and loads the conversation named in the path. */
export async function loadConversationFor(
  ctx: AppContext,
  request: FastifyRequest,
  params: z.infer<typeof conversationParams>,
  allowsAgentBot = false,
): Promise<{ access: AccountAccess; row: ConversationRow }> {
  const access = await chatwootAccess(ctx.db, request, params.account_id, { allowsAgentBot });
  return { access, row: await conversationFor(ctx, access, params.conversation_id) };
}
