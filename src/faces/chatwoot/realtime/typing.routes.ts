import { z } from 'zod';
import type { AppContext } from '../../../platform/app-context.js';
import type { TypedApp } from '../../../platform/http/typed-app.js';
import type { AccountAccess } from '../../../core/identity/principal.js';
import { findMember } from '../../../core/identity/members.js';
import { publishTyping, type TypingPerformer } from '../../../core/presence/typing.js';
import { chatwootAccess } from '../access.js';
import { accountParams, chatwootErrors, chatwootId, sendEmptyOk } from '../admin-schemas.js';
import { conversationFor } from '../conversation-scope.js';

async function performerOf(ctx: AppContext, access: AccountAccess): Promise<TypingPerformer> {
  const { principal } = access;
  if (principal.kind === 'user') {
    const member = await findMember(ctx.db, access.accountId, principal.userId);
    return { type: 'user', id: principal.userId, name: member?.displayName ?? member?.name ?? '' };
  }
  if (principal.kind === 'agent_bot') return { type: 'agent_bot', id: principal.botId, name: 'Agent bot' };
  return { type: 'user', id: 0, name: 'API' };
}

/**
 * Chatwoot's `toggle_typing_status`: an agent (or bot) starts or stops typing in a conversation.
 * Like the contact's, the indicator is pushed to connected clients and never stored.
 */
export function registerTypingRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/api/v1/accounts/:account_id/conversations/:conversation_id/toggle_typing_status',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Tell the others an agent is typing in the conversation (or stopped)',
        params: accountParams.extend({ conversation_id: chatwootId }),
        body: z.object({
          typing_status: z.enum(['on', 'recording', 'off']),
          is_private: z.boolean().optional(),
        }),
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, {
        allowsAgentBot: true,
      });
      const row = await conversationFor(ctx, access, request.params.conversation_id);
      await publishTyping(ctx.bus, {
        accountId: access.accountId,
        conversation: { id: row.id, displayId: row.displayId, inboxId: row.inboxId },
        performer: await performerOf(ctx, access),
        isTyping: request.body.typing_status !== 'off',
        isPrivate: request.body.is_private ?? false,
      });
      return sendEmptyOk(reply);
    },
  );
}
