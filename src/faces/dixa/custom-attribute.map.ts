import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isChoiceType } from '../../core/custom-attributes/patch-by-uuid.js';
import type { CustomAttributeDefinitionRow } from '../../core/custom-attributes/custom-attributes.tables.js';
import { uuidSchema } from './schemas.js';

/** Seed `AttributeValue`: String[] for a Select attribute, String for a Text one. */
export const dixaAttributeValueSchema = z.union([z.array(z.string()), z.string()]);

/** Seed `CustomAttribute`: a value with the id (definition uuid), label and key of its definition. */
export const dixaCustomAttributeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  identifier: z.string(),
  value: dixaAttributeValueSchema,
});
export type DixaCustomAttribute = z.infer<typeof dixaCustomAttributeSchema>;

/** Seed `Map_UUID_Option_AttributeValue`: definition uuid → value, or null to remove it. */
export const dixaAttributePatchSchema = z
  .record(
    z.string().max(100),
    z.union([z.array(z.string().max(1_000)).max(50), z.string().max(10_000), z.null()]),
  )
  .superRefine((patch, ctx) => {
    // Checked here rather than as the record's key schema, whose failure names no key.
    for (const key of Object.keys(patch)) {
      if (!uuidSchema.safeParse(key).success) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'a custom attribute id must be a UUID' });
      }
    }
  });

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * A stored value in Dixa's two shapes. Parley stores a list option as a string and a checkbox as a
 * boolean; both are choices (Select), so they travel as a one-option list. Values set elsewhere
 * (the Chatwoot face accepts free values) are shown as text.
 */
export function toDixaAttributeValue(
  definition: CustomAttributeDefinitionRow,
  value: unknown,
): string | string[] {
  if (isChoiceType(definition)) return Array.isArray(value) ? value.map(asText) : [asText(value)];
  return asText(value);
}

/**
 * The attributes that have a value, in definition order. Keys without a definition have no id a
 * Dixa client could use, so they are left out.
 */
export function toDixaCustomAttributes(
  values: Record<string, unknown>,
  definitions: CustomAttributeDefinitionRow[],
): DixaCustomAttribute[] {
  return definitions.flatMap((definition) => {
    const value = values[definition.attributeKey];
    if (value === undefined || value === null || value === '') return [];
    return [
      {
        id: definition.uuid,
        name: definition.attributeDisplayName,
        identifier: definition.attributeKey,
        value: toDixaAttributeValue(definition, value),
      },
    ];
  });
}

/**
 * A stable UUID for one option of a definition (RFC 9562 version 5, named by the option's value
 * within the definition's uuid): Parley's options are plain strings, Dixa's SelectOption has an id.
 */
export function optionId(definitionUuid: string, value: string): string {
  const namespace = Buffer.from(definitionUuid.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(namespace).update(value, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
