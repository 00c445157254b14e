import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import {
  customAttributeDefinitions,
  type AttributeModel,
  type CustomAttributeDefinitionRow,
} from './custom-attributes.tables.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}

function isUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isIsoDate(value: unknown): boolean {
  return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

/** Why `value` does not fit `definition`, or null when it does. */
export function customAttributeValueProblem(
  definition: CustomAttributeDefinitionRow,
  value: unknown,
): string | null {
  // Clearing a value is always allowed.
  if (value === null || value === '') return null;
  switch (definition.attributeDisplayType) {
    case 'text': {
      if (typeof value !== 'string') return 'must be text';
      if (definition.regexPattern) {
        let pattern: RegExp | null = null;
        try {
          pattern = new RegExp(definition.regexPattern);
        } catch {
          pattern = null;
        }
        if (pattern && !pattern.test(value)) return definition.regexCue ?? 'does not match the pattern';
      }
      return null;
    }
    case 'number':
    case 'currency':
    case 'percent':
      return isNumeric(value) ? null : 'must be a number';
    case 'link':
      return isUrl(value) ? null : 'must be an http(s) URL';
    case 'date':
      return isIsoDate(value) ? null : 'must be an ISO 8601 date';
    case 'list':
      return typeof value === 'string' && definition.attributeValues.includes(value)
        ? null
        : `must be one of: ${definition.attributeValues.join(', ')}`;
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'must be true or false';
  }
}

/** The account's definitions of one model whose attribute key (or uuid) is among `values`. */
export async function findDefinitions(
  db: Db,
  accountId: number,
  model: AttributeModel,
  by: 'attributeKey' | 'uuid',
  values: string[],
): Promise<CustomAttributeDefinitionRow[]> {
  if (values.length === 0) return [];
  return db
    .select()
    .from(customAttributeDefinitions)
    .where(
      and(
        eq(customAttributeDefinitions.accountId, accountId),
        eq(customAttributeDefinitions.attributeModel, model),
        inArray(customAttributeDefinitions[by], values),
      ),
    );
}

/**
 * Checks values against the account's definitions. Keys without a definition pass: Chatwoot
 * accepts free keys in custom_attributes.
 */
export async function validateCustomAttributeValues(
  db: Db,
  accountId: number,
  model: AttributeModel,
  values: Record<string, unknown>,
): Promise<void> {
  const definitions = await findDefinitions(db, accountId, model, 'attributeKey', Object.keys(values));
  const problems = definitions.flatMap((definition) => {
    const problem = customAttributeValueProblem(definition, values[definition.attributeKey]);
    return problem ? [{ path: `custom_attributes.${definition.attributeKey}`, message: problem }] : [];
  });
  const first = problems[0];
  if (first) {
    const key = first.path.slice('custom_attributes.'.length);
    throw new DomainError('VALIDATION_FAILED', `Custom attribute ${key} ${first.message}`, problems);
  }
}
