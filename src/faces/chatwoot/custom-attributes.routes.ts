import { z } from 'zod';
import { boundedJson } from '../../platform/http/bounded-json.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  attributeDisplayTypes,
  type AttributeDisplayType,
  type AttributeModel,
  type CustomAttributeDefinitionRow,
} from '../../core/custom-attributes/custom-attributes.tables.js';
import {
  createDefinition,
  deleteDefinition,
  getDefinition,
  listDefinitions,
  updateDefinition,
} from '../../core/custom-attributes/custom-attribute-definitions.js';
import { chatwootAccess } from './access.js';
import {
  accountParams,
  accountResourceParams,
  chatwootErrors,
  emptyBody,
  iso,
  sendEmptyOk,
} from './admin-schemas.js';

const tags = ['Custom Attributes'];

/** Chatwoot's enum: conversation_attribute is 0, contact_attribute is 1. */
const modelNames = { conversation: 'conversation_attribute', contact: 'contact_attribute' } as const;
const attributeModelInput = z
  .union([z.literal(0), z.literal(1), z.enum(['0', '1', 'conversation_attribute', 'contact_attribute'])])
  .transform((value): AttributeModel =>
    value === 0 || value === '0' || value === 'conversation_attribute' ? 'conversation' : 'contact',
  );

/** The seed sends the display type as its enum index (text 0 ... checkbox 7); names work too. */
const displayTypeInput = z
  .union([
    z.number().int().min(0).max(7),
    z.enum(attributeDisplayTypes),
    z.enum(['0', '1', '2', '3', '4', '5', '6', '7']),
  ])
  .transform((value): AttributeDisplayType =>
    typeof value === 'number' || /^\d$/.test(value)
      ? (attributeDisplayTypes[Number(value)] ?? 'text')
      : (value as AttributeDisplayType),
  );

const definitionFields = z.object({
  attribute_display_name: z.string().min(1).max(255),
  attribute_display_type: displayTypeInput,
  attribute_description: z.string().max(2000).nullish(),
  attribute_key: z.string().min(1).max(100),
  attribute_values: z.array(z.string().max(255)).max(500).optional(),
  attribute_model: attributeModelInput,
  regex_pattern: z.string().max(1000).nullish(),
  regex_cue: z.string().max(1000).nullish(),
  default_value: boundedJson(z.unknown()).optional(),
});

/** Rails wraps parameters, so Chatwoot takes the fields at the top level or under custom_attribute_definition. */
function unwrap(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const inner = (body as Record<string, unknown>).custom_attribute_definition;
  return typeof inner === 'object' && inner !== null ? inner : body;
}

/**
 * Seed `custom_attribute`. Every field is a string there and none is nullable: `attribute_values`
 * (a list in Chatwoot's own view) is sent as its JSON text, a default value that is not text as
 * JSON, and settings never set are left out.
 */
const customAttributeSchema = z.object({
  id: z.number(),
  attribute_display_name: z.string(),
  attribute_display_type: z.string(),
  attribute_description: z.string().optional(),
  attribute_key: z.string(),
  regex_pattern: z.string().optional(),
  regex_cue: z.string().optional(),
  attribute_values: z.string(),
  attribute_model: z.enum(['conversation_attribute', 'contact_attribute']),
  default_value: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

function defaultValueText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function toChatwootCustomAttribute(row: CustomAttributeDefinitionRow): z.infer<typeof customAttributeSchema> {
  return {
    id: row.id,
    attribute_display_name: row.attributeDisplayName,
    attribute_display_type: row.attributeDisplayType,
    attribute_description: row.attributeDescription ?? undefined,
    attribute_key: row.attributeKey,
    regex_pattern: row.regexPattern ?? undefined,
    regex_cue: row.regexCue ?? undefined,
    attribute_values: JSON.stringify(row.attributeValues),
    attribute_model: modelNames[row.attributeModel],
    default_value: defaultValueText(row.defaultValue),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

type DefinitionBody = Partial<z.infer<typeof definitionFields>>;

function toDefinitionInput(body: DefinitionBody) {
  return {
    attributeDisplayName: body.attribute_display_name,
    attributeDisplayType: body.attribute_display_type,
    attributeDescription: body.attribute_description,
    attributeKey: body.attribute_key,
    attributeValues: body.attribute_values,
    attributeModel: body.attribute_model,
    regexPattern: body.regex_pattern,
    regexCue: body.regex_cue,
    defaultValue: body.default_value,
  };
}

export function registerCustomAttributesRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/custom_attribute_definitions';
  const admin = { isAdminOnly: true };

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List custom attribute definitions',
        params: accountParams,
        querystring: z.object({ attribute_model: attributeModelInput.optional() }),
        response: { 200: z.array(customAttributeSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      const rows = await listDefinitions(ctx.db, accountId, request.query.attribute_model);
      return rows.map(toChatwootCustomAttribute);
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Define a custom attribute',
        params: accountParams,
        body: z.preprocess(unwrap, definitionFields),
        response: { 200: customAttributeSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, admin);
      const body = request.body;
      const row = await createDefinition(
        ctx.db,
        access.accountId,
        {
          ...toDefinitionInput(body),
          attributeDisplayName: body.attribute_display_name,
          attributeDisplayType: body.attribute_display_type,
          attributeKey: body.attribute_key,
          attributeModel: body.attribute_model,
        },
        access.actor,
      );
      return toChatwootCustomAttribute(row);
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Get a custom attribute definition',
        params: accountResourceParams,
        response: { 200: customAttributeSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      return toChatwootCustomAttribute(await getDefinition(ctx.db, accountId, request.params.id));
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: `${base}/:id`,
      schema: {
        tags,
        summary: 'Update a custom attribute definition',
        params: accountResourceParams,
        body: z.preprocess(unwrap, definitionFields.partial()),
        response: { 200: customAttributeSchema, ...chatwootErrors },
      },
      handler: async (request) => {
        const access = await chatwootAccess(ctx.db, request, request.params.account_id, admin);
        const row = await updateDefinition(
          ctx.db,
          access.accountId,
          request.params.id,
          toDefinitionInput(request.body),
          access.actor,
        );
        return toChatwootCustomAttribute(row);
      },
    });
  }

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a custom attribute definition',
        params: accountResourceParams,
        response: { 200: emptyBody, ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, admin);
      await deleteDefinition(ctx.db, access.accountId, request.params.id, access.actor);
      return sendEmptyOk(reply);
    },
  );
}
