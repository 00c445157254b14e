import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listAgentsByIds } from '../../core/identity/agents.js';
import { getInbox, listInboxMemberIds } from '../../core/inboxes/inboxes.js';
import { changeInboxMembers } from '../../core/inboxes/inbox-members.js';
import type { MembershipChange } from '../../core/identity/membership-change.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors, chatwootId, sendEmptyOk, userIdsSchema } from './admin-schemas.js';
import { chatwootAgentSchema, toChatwootAgent } from './serializers/agent.js';

const tags = ['Inboxes'];
const payloadOfAgents = z.object({ payload: z.array(chatwootAgentSchema) });
// The seed types inbox_id as integer on POST and string on PATCH/DELETE; both spellings are taken.
const membersBody = z.object({ inbox_id: chatwootId, user_ids: userIdsSchema });

export function registerInboxMembersRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/inbox_members';

  const agentsPayload = async (accountId: number, userIds: number[]) => ({
    payload: (await listAgentsByIds(ctx.db, accountId, userIds)).map(toChatwootAgent),
  });

  app.get(
    `${base}/:inbox_id`,
    {
      schema: {
        tags,
        summary: 'List the agents of an inbox',
        params: accountParams.extend({ inbox_id: chatwootId }),
        response: { 200: payloadOfAgents, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      await getInbox(ctx.db, access.accountId, request.params.inbox_id);
      const ids = await listInboxMemberIds(ctx.db, access.accountId, request.params.inbox_id);
      return agentsPayload(access.accountId, ids);
    },
  );

  const writes: [method: 'post' | 'patch', change: MembershipChange, summary: string][] = [
    ['post', 'add', 'Add agents to an inbox'],
    ['patch', 'replace', "Replace an inbox's agents with the given list"],
  ];
  for (const [method, change, summary] of writes) {
    app[method](
      base,
      {
        schema: {
          tags,
          summary,
          params: accountParams,
          body: membersBody,
          response: { 200: payloadOfAgents, ...chatwootErrors },
        },
      },
      async (request) => {
        const access = await chatwootAccess(ctx.db, request, request.params.account_id, {
          isAdminOnly: true,
        });
        const ids = await changeInboxMembers(
          ctx.db,
          {
            accountId: access.accountId,
            inboxId: request.body.inbox_id,
            userIds: request.body.user_ids,
            change,
          },
          access.actor,
        );
        return agentsPayload(access.accountId, ids);
      },
    );
  }

  app.delete(
    base,
    {
      schema: {
        tags,
        summary: 'Remove agents from an inbox',
        params: accountParams,
        body: membersBody,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await changeInboxMembers(
        ctx.db,
        {
          accountId: access.accountId,
          inboxId: request.body.inbox_id,
          userIds: request.body.user_ids,
          change: 'remove',
        },
        access.actor,
      );
      return sendEmptyOk(reply);
    },
  );
}
