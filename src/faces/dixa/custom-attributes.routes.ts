import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listDefinitions } from '../../core/custom-attributes/custom-attribute-definitions.js';
import type { CustomAttributeDefinitionRow } from '../../core/custom-attributes/custom-attributes.tables.js';
import { dixaAccess } from './access.js';
import { optionId } from './custom-attribute.map.js';
import { dataOf } from './schemas.js';

const tags = ['Dixa custom attributes'];

/** Seed `SelectOption` (Parley's options are flat: no nestedOptions). */
const selectOptionSchema = z.object({
  id: z.uuid(),
  label: z.string(),
  value: z.string(),
  isDeactivated: z.boolean(),
});

/**
 * Seed `CustomAttributeInputDefinition`, a oneOf of `Select` and `Text1`. Both have only optional
 * fields, so Dixa's `_type` discriminator (the one its request bodies carry, e.g. `{"_type": "Text"}`)
 * tells a client which it got.
 */
const inputDefinitionSchema = z.union([
  z.object({ _type: z.literal('Select'), options: z.array(selectOptionSchema) }),
  z.object({ _type: z.literal('Text'), placeholder: z.string().optional() }),
]);
type InputDefinition = z.infer<typeof inputDefinitionSchema>;

/** Seed `CustomAttributeDefinition`. */
const definitionSchema = z.object({
  id: z.uuid(),
  entityType: z.enum(['Contact', 'Conversation']),
  identifier: z.string(),
  label: z.string(),
  description: z.string().optional(),
  inputDefinition: inputDefinitionSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime().optional(),
  isRequired: z.boolean(),
  isArchived: z.boolean(),
  isDeactivated: z.boolean(),
});

/** What a Dixa client should type into a Text attribute whose Parley type is narrower than text. */
const textFormats: Partial<Record<CustomAttributeDefinitionRow['attributeDisplayType'], string>> = {
  number: 'A number, e.g. 42 or 3.5',
  currency: 'An amount, e.g. 19.99',
  percent: 'A percentage, e.g. 12.5',
  link: 'An http(s) URL',
  date: 'An ISO 8601 date, e.g. 2026-12-01',
};

/**
 * Dixa has two input kinds. Parley's lists are Selects; a checkbox is a Select of "true" and
 * "false" (what the end-user and conversation patches accept for it); every other type is Text,
 * with a placeholder saying which text the type accepts.
 */
function inputDefinitionOf(row: CustomAttributeDefinitionRow): InputDefinition {
  const option = (value: string, label = value) => ({
    id: optionId(row.uuid, value),
    label,
    value,
    isDeactivated: false,
  });
  switch (row.attributeDisplayType) {
    case 'list':
      return { _type: 'Select', options: row.attributeValues.map((value) => option(value)) };
    case 'checkbox':
      return { _type: 'Select', options: [option('true', 'Yes'), option('false', 'No')] };
    default: {
      const placeholder = textFormats[row.attributeDisplayType];
      return { _type: 'Text', ...(placeholder !== undefined && { placeholder }) };
    }
  }
}

function toDixaDefinition(row: CustomAttributeDefinitionRow): z.infer<typeof definitionSchema> {
  return {
    id: row.uuid,
    entityType: row.attributeModel === 'contact' ? 'Contact' : 'Conversation',
    identifier: row.attributeKey,
    label: row.attributeDisplayName,
    ...(row.attributeDescription ? { description: row.attributeDescription } : {}),
    inputDefinition: inputDefinitionOf(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    // Parley has no required, archived or deactivated definitions: a definition exists or not.
    isRequired: false,
    isArchived: false,
    isDeactivated: false,
  };
}

/** Custom attribute definitions. */
export function registerDixaCustomAttributeRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/custom-attributes',
    {
      schema: {
        tags,
        summary: 'List all custom attributes in an organization',
        response: { 200: z.object({ data: z.array(definitionSchema) }) },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const rows = await listDefinitions(ctx.db, accountId);
      return dataOf(rows.map(toDixaDefinition));
    },
  );
}
