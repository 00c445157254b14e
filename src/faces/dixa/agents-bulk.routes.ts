import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { isDomainError } from '../../platform/errors.js';
import { toProblem } from '../../platform/http/problem.js';
import type { AgentCard } from '../../core/identity/agent-cards.js';
import type { AgentProfileChanges } from '../../core/identity/change-agent-profile.js';
import { changeAgentProfile } from '../../core/identity/change-agent-profile.js';
import { createAgent } from '../../core/identity/create-agent.js';
import { dixaAccess } from './access.js';
import { renderDixaError } from './errors.js';
import { uuidSchema } from './schemas.js';
import {
  createAgentInputSchema,
  dixaAgentSchema,
  patchAgentInputSchema,
  patchChanges,
  toDixaAgent,
  updateAgentInputSchema,
  updateChanges,
} from './agents.map.js';

const tags = ['dixa: agents'];
/** Dixa documents no bulk size; this keeps one request's work (one transaction per item) bounded. */
const MAX_BULK_ITEMS = 100;

const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody };
/** Seed `BulkActionOutcome_BulkError_Agent`: `{data: Agent}` or `{error: BulkError}`. */
const outcomeSchema = z.union([
  z.object({ data: dixaAgentSchema }),
  z.object({ error: z.object({ id: z.string().optional(), message: z.string() }) }),
]);
type Outcome = z.infer<typeof outcomeSchema>;

// Items are checked one by one, so one malformed item is that item's error, not the request's.
const looseItem = z.looseObject({});
const items = z.array(looseItem).min(1).max(MAX_BULK_ITEMS);

function messageOf(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function idOf(item: Record<string, unknown>): string | undefined {
  return typeof item.id === 'string' ? item.id : undefined;
}

/**
 * Runs one item in its own transaction (the core service's): it applies whole or not at all, and a
 * client's mistake in it (validation, not found, conflict) becomes its `{error}` while the others
 * go on. Anything else is a server failure and fails the request.
 */
async function outcomeOf(id: string | undefined, work: () => Promise<AgentCard>): Promise<Outcome> {
  try {
    return { data: toDixaAgent(await work()) };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { error: { ...(id !== undefined && { id }), message: renderDixaError(toProblem(error)).message } };
  }
}

function invalid(id: string | undefined, error: z.ZodError): Outcome {
  return { error: { ...(id !== undefined && { id }), message: `Invalid agent: ${messageOf(error)}` } };
}

const patchItem = patchAgentInputSchema.extend({ id: uuidSchema });
const updateItem = updateAgentInputSchema.extend({ id: uuidSchema });

/** One item of a bulk patch (PATCH) or update (PUT), validated on its own. */
function parseChange(
  item: Record<string, unknown>,
  isReplace: boolean,
): { uuid: string; changes: AgentProfileChanges } | z.ZodError {
  if (isReplace) {
    const parsed = updateItem.safeParse(item);
    if (!parsed.success) return parsed.error;
    const { id, ...fields } = parsed.data;
    return { uuid: id, changes: updateChanges(fields) };
  }
  const parsed = patchItem.safeParse(item);
  if (!parsed.success) return parsed.error;
  const { id, ...fields } = parsed.data;
  return { uuid: id, changes: patchChanges(fields) };
}

async function changeAgents(
  ctx: AppContext,
  request: FastifyRequest,
  body: Record<string, unknown>[],
  isReplace: boolean,
): Promise<{ data: Outcome[] }> {
  const access = await dixaAccess(ctx, request, { isAdminOnly: true });
  const outcomes: Outcome[] = [];
  for (const item of body) {
    const change = parseChange(item, isReplace);
    if (change instanceof z.ZodError) {
      outcomes.push(invalid(idOf(item), change));
      continue;
    }
    const { uuid, changes } = change;
    outcomes.push(
      await outcomeOf(uuid, () =>
        changeAgentProfile(ctx.db, { accountId: access.accountId, uuid, changes }, access.actor),
      ),
    );
  }
  return { data: outcomes };
}

export function registerDixaAgentBulkRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/agents/bulk',
    {
      schema: {
        tags,
        summary: 'Create agents in bulk: one outcome per item, in order',
        body: z.object({ data: items }),
        response: { 201: z.object({ data: z.array(outcomeSchema) }), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request, { isAdminOnly: true });
      const outcomes: Outcome[] = [];
      for (const item of request.body.data) {
        const parsed = createAgentInputSchema.safeParse(item);
        if (!parsed.success) {
          outcomes.push(invalid(undefined, parsed.error));
          continue;
        }
        const { email, ...profile } = parsed.data;
        outcomes.push(
          await outcomeOf(undefined, () =>
            createAgent(ctx.db, { accountId: access.accountId, email, profile }, access.actor),
          ),
        );
      }
      return reply.status(201).send({ data: outcomes });
    },
  );

  app.patch(
    '/v1/agents',
    {
      schema: {
        tags,
        summary: "Patch agents' profiles in bulk: one outcome per item, in order",
        body: items,
        response: { 200: z.object({ data: z.array(outcomeSchema) }), ...errors },
      },
    },
    (request) => changeAgents(ctx, request, request.body, false),
  );

  app.put(
    '/v1/agents',
    {
      schema: {
        tags,
        summary:
          "Update agents' profiles in bulk (fields left out are cleared): one outcome per item, in order",
        body: items,
        response: { 200: z.object({ data: z.array(outcomeSchema) }), ...errors },
      },
    },
    (request) => changeAgents(ctx, request, request.body, true),
  );
}
