import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError, isDomainError } from '../../platform/errors.js';
import {
  createDefinition,
  deleteDefinition,
  listDefinitions,
  updateDefinition,
} from '../../core/custom-attributes/custom-attribute-definitions.js';
import {
  attributeDisplayTypes,
  attributeModels,
  type CustomAttributeDefinitionRow,
} from '../../core/custom-attributes/custom-attributes.tables.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate } from './schemas.js';

const tags = ['settings'];

const attributeSchema = z.object({
  id: z.number(),
  model: z.enum(attributeModels),
  key: z.string(),
  displayName: z.string(),
  displayType: z.enum(attributeDisplayTypes),
  description: z.string().nullable(),
  /** The allowed values of a `list` attribute; empty otherwise. */
  values: z.array(z.string()),
  createdAt: isoDate,
});

function toAttribute(row: CustomAttributeDefinitionRow): z.infer<typeof attributeSchema> {
  return {
    id: row.id,
    model: row.attributeModel,
    key: row.attributeKey,
    displayName: row.attributeDisplayName,
    displayType: row.attributeDisplayType,
    description: row.attributeDescription,
    values: row.attributeValues,
    createdAt: iso(row.createdAt),
  };
}

const listValues = z.array(z.string().trim().min(1).max(255)).max(100);
const createBody = z.strictObject({
  model: z.enum(attributeModels),
  key: z
    .string()
    .trim()
    .regex(/^[a-zA-Z0-9_-]{1,100}$/, 'may only contain letters, digits, _ and - (at most 100)'),
  displayName: z.string().trim().min(1).max(200),
  displayType: z.enum(attributeDisplayTypes),
  description: z.string().trim().max(1000).nullable().optional(),
  values: listValues.optional(),
});
const updateBody = z.strictObject({
  displayName: createBody.shape.displayName.optional(),
  description: createBody.shape.description,
  values: listValues.optional(),
});

/** The core names fields as the Chatwoot face does; this API's clients send camelCase bodies. */
const corePaths: Record<string, string> = {
  attribute_key: 'body.key',
  attribute_values: 'body.values',
  attribute_display_name: 'body.displayName',
};

function inNativeTerms(error: unknown): never {
  if (isDomainError(error) && error.code === 'VALIDATION_FAILED') {
    throw new DomainError(
      error.code,
      error.message.replace(/^attribute_(key|values)\b/, (name) =>
        (corePaths[name] ?? name).replace('body.', ''),
      ),
      error.details.map((detail) => ({ ...detail, path: corePaths[detail.path] ?? detail.path })),
    );
  }
  throw error;
}

/**
 * Administrators define the typed custom attributes of contacts and conversations. Values are
 * validated against these definitions wherever attributes are written (every face). Regex
 * patterns stay with the Chatwoot face's API: a regular expression typed into a form is easy to
 * get catastrophically slow, and the screen does not need it.
 */
export function registerNativeSettingsCustomAttributeRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/custom-attributes';
  const params = accountParams.extend({ attributeId: idParam });
  const admin = (request: Parameters<typeof accountAccess>[1], accountId: number) =>
    accountAccess(ctx.db, request, accountId, { isAdminOnly: true });

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Custom attribute definitions, of one model or both (any member)',
        params: accountParams,
        querystring: z.object({ model: z.enum(attributeModels).optional() }),
        response: { 200: z.object({ data: z.array(attributeSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      // Agents read the definitions too: the contact and conversation panels label values with them.
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const rows = await listDefinitions(ctx.db, access.accountId, request.query.model);
      return { data: rows.map(toAttribute) };
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Define a custom attribute (administrators)',
        params: accountParams,
        body: createBody,
        response: { 201: attributeSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      const body = request.body;
      const row = await createDefinition(
        ctx.db,
        access.accountId,
        {
          attributeModel: body.model,
          attributeKey: body.key,
          attributeDisplayName: body.displayName,
          attributeDisplayType: body.displayType,
          attributeDescription: body.description,
          attributeValues: body.values,
        },
        access.actor,
      ).catch(inNativeTerms);
      return reply.status(201).send(toAttribute(row));
    },
  );

  app.patch(
    `${base}/:attributeId`,
    {
      schema: {
        tags,
        summary: "Change a custom attribute's name, description or list values (administrators)",
        params,
        body: updateBody,
        response: { 200: attributeSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const body = request.body;
      const row = await updateDefinition(
        ctx.db,
        access.accountId,
        request.params.attributeId,
        {
          attributeDisplayName: body.displayName,
          attributeDescription: body.description,
          attributeValues: body.values,
        },
        access.actor,
      ).catch(inNativeTerms);
      return toAttribute(row);
    },
  );

  app.delete(
    `${base}/:attributeId`,
    {
      schema: {
        tags,
        summary: 'Delete a custom attribute definition; stored values stay (administrators)',
        params,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      await deleteDefinition(ctx.db, access.accountId, request.params.attributeId, access.actor);
      return reply.status(204).send(null);
    },
  );
}
