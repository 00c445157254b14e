import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { CustomAttributeDefinitionRow } from './custom-attributes.tables.js';

const definitionPayload = z.object({
  id: z.number(),
  attributeModel: z.string(),
  attributeKey: z.string(),
  attributeDisplayName: z.string(),
  attributeDisplayType: z.string(),
  attributeDescription: z.string().nullable(),
  attributeValues: z.array(z.string()),
  regexPattern: z.string().nullable(),
  regexCue: z.string().nullable(),
  defaultValue: z.unknown(),
});

export function definitionEventPayload(row: CustomAttributeDefinitionRow): z.infer<typeof definitionPayload> {
  return {
    id: row.id,
    attributeModel: row.attributeModel,
    attributeKey: row.attributeKey,
    attributeDisplayName: row.attributeDisplayName,
    attributeDisplayType: row.attributeDisplayType,
    attributeDescription: row.attributeDescription,
    attributeValues: row.attributeValues,
    regexPattern: row.regexPattern,
    regexCue: row.regexCue,
    defaultValue: row.defaultValue ?? null,
  };
}

const described = (verb: string) => ({
  aggregateType: 'custom_attribute_definition',
  version: 1,
  description: `A custom attribute definition was ${verb}.`,
  payloadSchema: definitionPayload,
});

export const customAttributeDefinitionCreated = defineEvent({
  type: 'custom_attribute_definition.created',
  ...described('created'),
});

export const customAttributeDefinitionUpdated = defineEvent({
  type: 'custom_attribute_definition.updated',
  ...described('updated'),
});

export const customAttributeDefinitionDeleted = defineEvent({
  type: 'custom_attribute_definition.deleted',
  ...described('deleted'),
});
