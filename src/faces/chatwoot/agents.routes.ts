import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { findAgent, listAgents } from '../../core/identity/agents.js';
import { removeAgent, updateAgent } from '../../core/identity/agent-changes.js';
import {
  createInvitation,
  findInvitation,
  listInvitations,
  revokeInvitation,
  updateInvitation,
  type InvitationView,
} from '../../core/identity/invitations.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { chatwootAccess } from './access.js';
import { accountParams, accountResourceParams, chatwootErrors, sendEmptyOk } from './admin-schemas.js';
import {
  chatwootAgentSchema,
  chatwootAvailability,
  fromChatwootAvailability,
  toChatwootAgent,
} from './serializers/agent.js';
import { toChatwootInvitedAgent } from './serializers/agent-invitation.js';

const tags = ['Agents'];
const role = z.enum(['agent', 'administrator']);

/** Seed `agent_create_payload`. */
const agentCreateBody = z.object({
  name: z.string().trim().min(1).max(255),
  email: z.email().max(320),
  role,
  availability_status: chatwootAvailability.optional(),
  auto_offline: z.boolean().optional(),
});

/** Seed `agent_update_payload` (role is required there). */
const agentUpdateBody = z.object({
  role,
  availability_status: chatwootAvailability.optional(),
  auto_offline: z.boolean().optional(),
});

function settingsOf(body: {
  role: 'agent' | 'administrator';
  availability_status?: z.infer<typeof chatwootAvailability> | undefined;
  auto_offline?: boolean | undefined;
}) {
  return {
    role: body.role,
    availability: body.availability_status && fromChatwootAvailability(body.availability_status),
    autoOffline: body.auto_offline,
  };
}

/** A pending invitation of the account; ids never clash with user ids (one sequence). */
async function findPendingInvitation(db: Db, accountId: number, id: number): Promise<InvitationView> {
  const invitation = await findInvitation(db, accountId, id);
  if (!invitation || invitation.status !== 'pending') throw notFound('Agent');
  return invitation;
}

export function registerAgentsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/agents';

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List the agents of the account',
        params: accountParams,
        response: { 200: z.array(chatwootAgentSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const agents = (await listAgents(ctx.db, access.accountId)).map(toChatwootAgent);
      // Like Chatwoot's unconfirmed agents, invited people are listed until they answer.
      const invited = await listInvitations(ctx.db, {
        accountId: access.accountId,
        state: 'pending',
        limit: 1000,
      });
      return [...agents, ...invited.items.map(toChatwootInvitedAgent)].sort((x, y) => x.id - y.id);
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary:
          'Invite an agent by email: they join once they accept (the answer never says whether the email has a user)',
        params: accountParams,
        body: agentCreateBody,
        response: { 200: chatwootAgentSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      // Chatwoot enrols an existing user of any account at once and shows their profile; here both a
      // new and a known email get a pending invitation, answered from what the administrator typed.
      const { invitation } = await createInvitation(
        ctx.db,
        {
          ...settingsOf(request.body),
          accountId: access.accountId,
          name: request.body.name,
          email: request.body.email,
        },
        access.actor,
      );
      return toChatwootInvitedAgent(invitation);
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: "Change an agent's role, availability or auto-offline",
        params: accountResourceParams,
        body: agentUpdateBody,
        response: { 200: chatwootAgentSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const target = { ...settingsOf(request.body), accountId: access.accountId };
      if (await findAgent(ctx.db, access.accountId, request.params.id)) {
        return toChatwootAgent(
          await updateAgent(ctx.db, { ...target, userId: request.params.id }, access.actor),
        );
      }
      await findPendingInvitation(ctx.db, access.accountId, request.params.id);
      return toChatwootInvitedAgent(await updateInvitation(ctx.db, { ...target, id: request.params.id }));
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Remove an agent from the account, or withdraw their pending invitation',
        params: accountResourceParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      if (await findAgent(ctx.db, access.accountId, request.params.id)) {
        await removeAgent(ctx.db, access.accountId, request.params.id, access.actor);
      } else {
        await findPendingInvitation(ctx.db, access.accountId, request.params.id);
        await revokeInvitation(ctx.db, access.accountId, request.params.id, access.actor);
      }
      return sendEmptyOk(reply);
    },
  );
}
