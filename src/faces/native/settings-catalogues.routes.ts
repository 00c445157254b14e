import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { Db } from '../../platform/db/database.js';
import { DomainError, isDomainError, notFound } from '../../platform/errors.js';
import { createTeam, deleteTeam, updateTeam } from '../../core/teams/team-changes.js';
import type { TeamRow } from '../../core/teams/teams.tables.js';
import {
  createLabel,
  listLabels,
  setLabelState,
  updateLabel,
  type LabelRow,
} from '../../core/labels/index.js';
import {
  createCannedResponse,
  deleteCannedResponse,
  updateCannedResponse,
  type CannedResponseRow,
} from '../../core/canned-responses/canned-responses.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam } from './schemas.js';
import { errorBodySchema } from './errors.js';

const tags = ['settings'];

/**
 * The core names some fields as the Chatwoot face does (`short_code`) or bare (`name`); this
 * API's clients send camelCase bodies, so error details point at `body.<field>` as zod's do.
 */
function inBodyTerms(rename: Record<string, string> = {}) {
  return (error: unknown): never => {
    if (isDomainError(error) && error.code === 'VALIDATION_FAILED') {
      throw new DomainError(
        error.code,
        error.message,
        error.details.map((detail) => ({ ...detail, path: `body.${rename[detail.path] ?? detail.path}` })),
      );
    }
    throw error;
  };
}

const teamSchema = z.object({ id: z.number(), name: z.string(), description: z.string().nullable() });
const teamBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).nullable().optional(),
});
const toTeam = (row: TeamRow) => ({ id: row.id, name: row.name, description: row.description });

const labelSchema = z.object({
  id: z.number(),
  title: z.string(),
  color: z.string().nullable(),
  description: z.string().nullable(),
  state: z.enum(['active', 'inactive']),
});
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f5fbf');
const labelPatchBody = z
  .strictObject({
    title: z.string().trim().min(1).max(255).optional(),
    color: color.nullable().optional(),
    description: z.string().trim().max(1000).nullable().optional(),
    state: z.enum(['active', 'inactive']).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one of title, color, description, state',
  });
async function findLabel(db: Db, accountId: number, labelId: number): Promise<LabelRow> {
  const label = (await listLabels(db, accountId)).find((row) => row.id === labelId);
  if (!label) throw notFound('Label');
  return label;
}

const toLabel = (row: LabelRow) => ({
  id: row.id,
  title: row.name,
  color: row.color,
  description: row.description,
  state: row.state,
});

const cannedSchema = z.object({ id: z.number(), shortCode: z.string(), content: z.string() });
const shortCode = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^\S+$/, 'must be one word (it follows the / in the reply box)');
const cannedContent = z.string().trim().min(1).max(20_000);
const toCanned = (row: CannedResponseRow) => ({ id: row.id, shortCode: row.shortCode, content: row.content });

/**
 * Administrators manage the catalogues agents pick from: teams, labels, canned responses. The
 * lists themselves are inbox-lists.routes.ts (`GET /teams`, `/labels`, `/canned-responses`).
 * Labels are never deleted (conversations keep carrying them): they are deactivated instead.
 */
export function registerNativeSettingsCatalogueRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId';
  const admin = (request: Parameters<typeof accountAccess>[1], accountId: number) =>
    accountAccess(ctx.db, request, accountId, { isAdminOnly: true });
  const teamParams = accountParams.extend({ teamId: idParam });
  const labelParams = accountParams.extend({ labelId: idParam });
  const cannedParams = accountParams.extend({ cannedResponseId: idParam });

  app.post(
    `${base}/teams`,
    {
      schema: {
        tags,
        summary: 'Create a team (administrators)',
        params: accountParams,
        body: teamBody,
        response: { 201: teamSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      const row = await createTeam(
        ctx.db,
        { accountId: access.accountId, ...request.body },
        access.actor,
      ).catch(inBodyTerms());
      return reply.status(201).send(toTeam(row));
    },
  );

  app.patch(
    `${base}/teams/:teamId`,
    {
      schema: {
        tags,
        summary: 'Rename a team or change its description (administrators)',
        params: teamParams,
        body: teamBody.partial(),
        response: { 200: teamSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const row = await updateTeam(
        ctx.db,
        access.accountId,
        request.params.teamId,
        request.body,
        access.actor,
      ).catch(inBodyTerms());
      return toTeam(row);
    },
  );

  app.delete(
    `${base}/teams/:teamId`,
    {
      schema: {
        tags,
        summary: 'Delete a team; its conversations keep going without one (administrators)',
        params: teamParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      await deleteTeam(ctx.db, access.accountId, request.params.teamId, access.actor);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${base}/label-catalogue`,
    {
      schema: {
        tags,
        summary: 'Every label, active or not, for the settings screen (administrators)',
        params: accountParams,
        response: { 200: z.object({ data: z.array(labelSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      return { data: (await listLabels(ctx.db, access.accountId)).map(toLabel) };
    },
  );

  app.post(
    `${base}/labels`,
    {
      schema: {
        tags,
        summary: 'Add a label to the catalogue (administrators)',
        params: accountParams,
        body: z.strictObject({
          title: z.string().trim().min(1).max(255),
          color: color.optional(),
          description: z.string().trim().max(1000).optional(),
        }),
        response: { 201: labelSchema, 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      const { title, ...rest } = request.body;
      const row = await ctx.db
        .transaction((tx) =>
          createLabel(tx, { accountId: access.accountId, name: title, ...rest, actor: access.actor }),
        )
        .catch(inBodyTerms({ name: 'title' }));
      return reply.status(201).send(toLabel(row));
    },
  );

  app.patch(
    `${base}/labels/:labelId`,
    {
      schema: {
        tags,
        summary: "Change a label's title, colour or description, or (de)activate it (administrators)",
        description:
          'A new title is written into the conversations and contacts that carry the label. ' +
          '`color: null` or `description: null` clears it.',
        params: labelParams,
        body: labelPatchBody,
        response: { 200: labelSchema, 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const { state, title, ...rest } = request.body;
      const isEdited = title !== undefined || rest.color !== undefined || rest.description !== undefined;
      const row = await ctx.db
        .transaction(async (tx) => {
          const label = isEdited
            ? await updateLabel(tx, {
                accountId: access.accountId,
                labelId: request.params.labelId,
                name: title,
                ...rest,
                actor: access.actor,
              })
            : await findLabel(tx, access.accountId, request.params.labelId);
          if (state === undefined) return label;
          return setLabelState(tx, {
            accountId: access.accountId,
            uuid: label.uuid,
            state,
            actor: access.actor,
          });
        })
        .catch(inBodyTerms({ name: 'title' }));
      return toLabel(row);
    },
  );

  app.post(
    `${base}/canned-responses`,
    {
      schema: {
        tags,
        summary: 'Create a canned response (administrators)',
        params: accountParams,
        body: z.strictObject({ shortCode, content: cannedContent }),
        response: { 201: cannedSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      const row = await createCannedResponse(
        ctx.db,
        { accountId: access.accountId, ...request.body },
        access.actor,
      ).catch(inBodyTerms({ short_code: 'shortCode' }));
      return reply.status(201).send(toCanned(row));
    },
  );

  app.patch(
    `${base}/canned-responses/:cannedResponseId`,
    {
      schema: {
        tags,
        summary: 'Change a canned response (administrators)',
        params: cannedParams,
        body: z.strictObject({ shortCode: shortCode.optional(), content: cannedContent.optional() }),
        response: { 200: cannedSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const row = await updateCannedResponse(
        ctx.db,
        access.accountId,
        request.params.cannedResponseId,
        request.body,
        access.actor,
      ).catch(inBodyTerms({ short_code: 'shortCode' }));
      return toCanned(row);
    },
  );

  app.delete(
    `${base}/canned-responses/:cannedResponseId`,
    {
      schema: {
        tags,
        summary: 'Delete a canned response (administrators)',
        params: cannedParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      await deleteCannedResponse(ctx.db, access.accountId, request.params.cannedResponseId, access.actor);
      return reply.status(204).send(null);
    },
  );
}
