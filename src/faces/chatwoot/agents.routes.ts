import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listAgents } from '../../core/identity/agents.js';
import { createAgent, removeAgent, updateAgent } from '../../core/identity/agent-changes.js';
import { chatwootAccess } from './access.js';
import { accountParams, accountResourceParams, chatwootErrors, sendEmptyOk } from './admin-schemas.js';
import {
  chatwootAgentSchema,
  chatwootAvailability,
  fromChatwootAvailability,
  toChatwootAgent,
} from './serializers/agent.js';

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
      return (await listAgents(ctx.db, access.accountId)).map(toChatwootAgent);
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Add an agent (creates the user when the email is new)',
        params: accountParams,
        body: agentCreateBody,
        response: { 200: chatwootAgentSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const agent = await createAgent(
        ctx.db,
        {
          ...settingsOf(request.body),
          accountId: access.accountId,
          name: request.body.name,
          email: request.body.email,
        },
        access.actor,
      );
      return toChatwootAgent(agent);
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
      const agent = await updateAgent(
        ctx.db,
        { ...settingsOf(request.body), accountId: access.accountId, userId: request.params.id },
        access.actor,
      );
      return toChatwootAgent(agent);
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Remove an agent from the account',
        params: accountResourceParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await removeAgent(ctx.db, access.accountId, request.params.id, access.actor);
      return sendEmptyOk(reply);
    },
  );
}
