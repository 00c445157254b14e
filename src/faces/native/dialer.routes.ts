import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { isAdministrator } from '../../core/identity/principal.js';
import { updateCampaign } from '../../core/campaigns/campaigns.js';
import { actorName } from '../../core/campaigns/campaign-actor.js';
import type { CampaignContactRow } from '../../core/campaigns/campaigns.tables.js';
import {
  acceptPreview,
  joinCampaign,
  leaveCampaign,
  previewNext,
  setAgentState,
  skipPreview,
  wrapUpAttempt,
  type DialerDeps,
} from '../../core/dialer/dialer.js';
import { dialerEngineOf } from '../../core/dialer/dialer-runtime.js';
import {
  listAttempts,
  listCampaignAgents,
  listDecisions,
  loadAttempt,
} from '../../core/dialer/dialer-audit.js';
import type { DialerAgentRow, DialerAttemptRow, DialerDecisionRow } from '../../core/dialer/dialer.tables.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';

const tags = ['dialer'];
const conflict = { 409: commonErrors[404] };

const campaignParams = accountParams.extend({ campaignId: idParam });
const agentParams = campaignParams.extend({
  agent: z
    .union([z.literal('me'), idParam])
    .describe('"me" (the signed-in user) or a user id (administrators)'),
});
const attemptParams = accountParams.extend({ attemptId: idParam });

const campaignStateSchema = z.object({
  id: z.number(),
  mode: z.string(),
  isPaused: z.boolean(),
  isArchived: z.boolean(),
});
const agentSchema = z.object({
  campaignId: z.number(),
  userId: z.number(),
  state: z.enum(['ready', 'reserved', 'on_call', 'wrap_up', 'paused']),
  attemptId: z.number().nullable(),
  previewContactId: z.number().nullable(),
  stateSince: isoDate,
});
const attemptSchema = z.object({
  id: z.number(),
  campaignId: z.number(),
  campaignContactId: z.number().nullable(),
  mode: z.string(),
  phoneName: z.string(),
  phoneNumber: z.string(),
  agentId: z.number().nullable(),
  callId: z.number().nullable(),
  outcome: z.string().nullable(),
  placedAt: isoDate,
  answeredAt: isoDate.nullable(),
  connectedAt: isoDate.nullable(),
  endedAt: isoDate.nullable(),
  wrappedUpAt: isoDate.nullable(),
  wrapupId: z.number().nullable(),
  wrapupStatus: z.string().nullable(),
});
const decisionSchema = z.object({
  id: z.number(),
  campaignId: z.number(),
  campaignContactId: z.number().nullable(),
  attemptId: z.number().nullable(),
  decidedAt: isoDate,
  kind: z.string(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
});
const previewContactSchema = z.object({
  id: z.number(),
  contactId: z.number().describe("The contact's number in the campaign"),
  phones: z.record(z.string(), z.string()),
  customFields: z.record(z.string(), z.string()),
  priority: z.number(),
  triesNumber: z.number(),
  comment: z.string().nullable(),
});
const auditQuery = pageQuery.extend({ campaignContactId: idParam.optional() });

function toAgentDto(row: DialerAgentRow): z.infer<typeof agentSchema> {
  return {
    campaignId: row.campaignId,
    userId: row.userId,
    state: row.state,
    attemptId: row.attemptId,
    previewContactId: row.previewContactId,
    stateSince: iso(row.stateSince),
  };
}

function toAttemptDto(row: DialerAttemptRow): z.infer<typeof attemptSchema> {
  return {
    id: row.id,
    campaignId: row.campaignId,
    campaignContactId: row.campaignContactId,
    mode: row.mode,
    phoneName: row.phoneName,
    phoneNumber: row.phoneNumber,
    agentId: row.agentId,
    callId: row.callId,
    outcome: row.outcome,
    placedAt: iso(row.placedAt),
    answeredAt: iso(row.answeredAt),
    connectedAt: iso(row.connectedAt),
    endedAt: iso(row.endedAt),
    wrappedUpAt: iso(row.wrappedUpAt),
    wrapupId: row.wrapupId,
    wrapupStatus: row.wrapupStatus,
  };
}

function toDecisionDto(row: DialerDecisionRow): z.infer<typeof decisionSchema> {
  return {
    id: row.id,
    campaignId: row.campaignId,
    campaignContactId: row.campaignContactId,
    attemptId: row.attemptId,
    decidedAt: iso(row.decidedAt),
    kind: row.kind,
    reason: row.reason,
    details: row.details,
  };
}

function toPreviewDto(row: CampaignContactRow): z.infer<typeof previewContactSchema> {
  return {
    id: row.id,
    contactId: row.contactNumber,
    phones: row.phones,
    customFields: row.customFields,
    priority: row.priority,
    triesNumber: row.triesNumber,
    comment: row.comment,
  };
}

/** "me" is the signed-in user; another user id needs the administrator role. */
function agentIdOf(access: AccountAccess, agent: 'me' | number): number {
  const principal = access.principal;
  if (agent === 'me') {
    if (principal.kind !== 'user') throw new DomainError('FORBIDDEN', '"me" needs a user token');
    return principal.userId;
  }
  if (principal.kind === 'user' && principal.userId === agent) return agent;
  if (!isAdministrator(access))
    throw new DomainError('FORBIDDEN', 'Acting for another agent needs the administrator role');
  return agent;
}

function engineOf(ctx: AppContext): DialerDeps {
  const engine = dialerEngineOf(ctx.config);
  if (!engine) throw new DomainError('UNAVAILABLE', 'The dialer is not running on this node');
  return { ...engine, db: ctx.db };
}

/** The dialer on the native API: play/pause, agents in campaigns, preview, wrap-up, and the audit trail. */
export function registerNativeDialerRoutes(app: TypedApp, ctx: AppContext): void {
  const campaignPath = '/v1/accounts/:accountId/campaigns/:campaignId';
  const agentPath = `${campaignPath}/agents/:agent`;

  for (const [action, isPaused] of [
    ['start', false],
    ['pause', true],
  ] as const) {
    app.post(
      `${campaignPath}/${action}`,
      {
        schema: {
          tags,
          summary: isPaused ? 'Pause a campaign: no new calls' : 'Start (play) a campaign: the dialer calls',
          params: campaignParams,
          response: { 200: campaignStateSchema, ...commonErrors, ...conflict },
        },
      },
      async (request) => {
        const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
        const row = await updateCampaign(
          ctx.db,
          access.accountId,
          request.params.campaignId,
          { isPaused },
          await actorName(ctx.db, access),
          access.actor,
        );
        if (!row) throw notFound('Campaign');
        return { id: row.id, mode: row.mode, isPaused: row.isPaused, isArchived: row.isArchived };
      },
    );
  }

  app.get(
    `${campaignPath}/agents`,
    {
      schema: {
        tags,
        summary: 'The agents logged into the campaign and their states',
        params: campaignParams,
        response: { 200: z.object({ data: z.array(agentSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const rows = await listCampaignAgents(ctx.db, access.accountId, request.params.campaignId);
      return { data: rows.map(toAgentDto) };
    },
  );

  const agentRef = async (request: FastifyRequest, params: z.infer<typeof agentParams>) => {
    const access = await accountAccess(ctx.db, request, params.accountId);
    return {
      accountId: access.accountId,
      campaignId: params.campaignId,
      userId: agentIdOf(access, params.agent),
    };
  };

  app.post(
    `${agentPath}/join`,
    {
      schema: {
        tags,
        summary: "Log an agent into the campaign's dialing (ready)",
        params: agentParams,
        response: { 200: agentSchema, ...commonErrors },
      },
    },
    async (request) => toAgentDto(await joinCampaign(ctx.db, await agentRef(request, request.params))),
  );

  app.post(
    `${agentPath}/leave`,
    {
      schema: {
        tags,
        summary: "Log an agent out of the campaign's dialing (409 during a call or its wrap-up)",
        params: agentParams,
        response: { 204: z.null(), ...commonErrors, ...conflict },
      },
    },
    async (request, reply) => {
      await leaveCampaign(ctx.db, await agentRef(request, request.params));
      return reply.status(204).send(null);
    },
  );

  app.put(
    `${agentPath}/state`,
    {
      schema: {
        tags,
        summary: 'Set an agent ready or paused between calls',
        params: agentParams,
        body: z.object({ state: z.enum(['ready', 'paused']) }),
        response: { 200: agentSchema, ...commonErrors, ...conflict },
      },
    },
    async (request) =>
      toAgentDto(
        await setAgentState(ctx.db, {
          ...(await agentRef(request, request.params)),
          state: request.body.state,
        }),
      ),
  );

  app.post(
    `${agentPath}/preview/next`,
    {
      schema: {
        tags,
        summary: 'Preview mode: the next contact offered to the agent (held for them), or null',
        params: agentParams,
        response: {
          200: z.object({ contact: previewContactSchema.nullable() }),
          ...commonErrors,
          ...conflict,
        },
      },
    },
    async (request) => {
      const contact = await previewNext(engineOf(ctx), await agentRef(request, request.params));
      return { contact: contact ? toPreviewDto(contact) : null };
    },
  );

  app.post(
    `${agentPath}/preview/accept`,
    {
      schema: {
        tags,
        summary: 'Preview mode: call the offered contact now',
        params: agentParams,
        response: { 201: z.object({ attemptId: z.number() }), ...commonErrors, ...conflict },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await acceptPreview(engineOf(ctx), await agentRef(request, request.params))),
  );

  app.post(
    `${agentPath}/preview/skip`,
    {
      schema: {
        tags,
        summary: 'Preview mode: skip the offered contact (it goes back to the pool)',
        params: agentParams,
        response: { 204: z.null(), ...commonErrors, ...conflict },
      },
    },
    async (request, reply) => {
      await skipPreview(engineOf(ctx), await agentRef(request, request.params));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/accounts/:accountId/dialer/attempts/:attemptId/wrapup',
    {
      schema: {
        tags,
        summary: "Wrap up a call: the code's status drives the contact's next try",
        params: attemptParams,
        body: z.object({
          wrapupId: idParam,
          comment: z.string().max(5000).optional(),
          retryAt: z.iso.datetime({ offset: true }).optional().describe('A callback date (tocall codes)'),
        }),
        response: { 200: attemptSchema, ...commonErrors, ...conflict },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const attempt = await loadAttempt(ctx.db, access.accountId, request.params.attemptId);
      if (!attempt) throw notFound('Dialer attempt');
      // The agent who took the call wraps it up; an administrator may do it for them (a supervisor).
      const principal = access.principal;
      const isTheAgent = principal.kind === 'user' && principal.userId === attempt.agentId;
      if (!isTheAgent && !isAdministrator(access)) {
        throw new DomainError('FORBIDDEN', 'Only the agent who took the call can wrap it up');
      }
      const row = await wrapUpAttempt(ctx.db, {
        accountId: access.accountId,
        attemptId: attempt.id,
        agentId: attempt.agentId ?? 0,
        wrapupId: request.body.wrapupId,
        comment: request.body.comment,
        retryAt: request.body.retryAt === undefined ? undefined : new Date(request.body.retryAt),
      });
      return toAttemptDto(row);
    },
  );

  app.get(
    `${campaignPath}/dialer/attempts`,
    {
      schema: {
        tags,
        summary: "The campaign's dial attempts, oldest first (audit)",
        params: campaignParams,
        querystring: auditQuery,
        response: { 200: pageOf(attemptSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const page = await listAttempts(ctx.db, {
        accountId: access.accountId,
        campaignId: request.params.campaignId,
        afterId: request.query.cursor,
        limit: request.query.limit,
        campaignContactId: request.query.campaignContactId,
      });
      return { data: page.items.map(toAttemptDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    `${campaignPath}/dialer/decisions`,
    {
      schema: {
        tags,
        summary:
          "The dialer's decisions for the campaign (dial, pace, throttle, skip, …) with their inputs (audit)",
        params: campaignParams,
        querystring: auditQuery.extend({ kind: z.string().max(40).optional() }),
        response: { 200: pageOf(decisionSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const page = await listDecisions(ctx.db, {
        accountId: access.accountId,
        campaignId: request.params.campaignId,
        afterId: request.query.cursor,
        limit: request.query.limit,
        campaignContactId: request.query.campaignContactId,
        kind: request.query.kind,
      });
      return { data: page.items.map(toDecisionDto), nextCursor: page.nextCursor };
    },
  );
}
