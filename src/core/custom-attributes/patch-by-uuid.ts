import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { AttributeModel, CustomAttributeDefinitionRow } from './custom-attributes.tables.js';
import { customAttributeValueProblem, findDefinitions } from './validate-values.js';

/**
 * A value as clients that address attributes by definition uuid send it (Dixa's AttributeValue):
 * a list of options for a choice, text otherwise; null removes the value.
 */
export type AttributeValueInput = string | string[] | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Display types offered as a choice among options rather than as free text. */
export function isChoiceType(definition: CustomAttributeDefinitionRow): boolean {
  return definition.attributeDisplayType === 'list' || definition.attributeDisplayType === 'checkbox';
}

function invalid(definition: CustomAttributeDefinitionRow, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `Custom attribute ${definition.attributeKey} ${message}`, [
    { path: definition.uuid, message },
  ]);
}

/** The single option of a choice; Parley's lists are flat, so a path of nested options has one step. */
function singleOption(definition: CustomAttributeDefinitionRow, value: string | string[]): string {
  if (typeof value === 'string') return value;
  if (value.length !== 1) throw invalid(definition, 'takes exactly one option');
  return value[0] ?? '';
}

/**
 * The value as Parley stores it for this definition (the Chatwoot face reads the same bag): a
 * list option as a string, a checkbox as a boolean, a number as a number; undefined removes it.
 */
function storedValueOf(definition: CustomAttributeDefinitionRow, value: AttributeValueInput): unknown {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return undefined;
  const type = definition.attributeDisplayType;
  if (isChoiceType(definition)) {
    const option = singleOption(definition, value);
    if (type !== 'checkbox') return option;
    if (option !== 'true' && option !== 'false') throw invalid(definition, 'must be "true" or "false"');
    return option === 'true';
  }
  if (typeof value !== 'string') throw invalid(definition, 'takes text, not a list');
  if (type === 'number' || type === 'currency' || type === 'percent') {
    const number = Number(value.trim());
    return value.trim() !== '' && Number.isFinite(number) ? number : value;
  }
  return value;
}

/**
 * Applies a patch keyed by definition uuid to an attribute bag keyed by attribute_key: each value
 * is checked against its definition (validate-values.ts rules), null removes it, keys the patch
 * does not name stay. A uuid that is not a definition of this account and model is refused.
 * Callers store the result in their own use-case, so its event is recorded with the change.
 */
export async function patchCustomAttributesByUuid(
  db: Db,
  input: {
    accountId: number;
    model: AttributeModel;
    current: Record<string, unknown>;
    patch: Record<string, AttributeValueInput>;
  },
): Promise<Record<string, unknown>> {
  const entries = Object.entries(input.patch).map(([uuid, value]) => [uuid.toLowerCase(), value] as const);
  const uuids = entries.map(([uuid]) => uuid).filter((uuid) => UUID.test(uuid));
  const definitions = await findDefinitions(db, input.accountId, input.model, 'uuid', uuids);
  const byUuid = new Map(definitions.map((definition) => [definition.uuid, definition]));
  const next = { ...input.current };
  for (const [uuid, patched] of entries) {
    const definition = byUuid.get(uuid);
    if (!definition) {
      throw new DomainError('VALIDATION_FAILED', `No ${input.model} custom attribute has the id ${uuid}`, [
        { path: uuid, message: 'is not a custom attribute of this organization' },
      ]);
    }
    const value = storedValueOf(definition, patched);
    if (value === undefined) {
      Reflect.deleteProperty(next, definition.attributeKey);
      continue;
    }
    const problem = customAttributeValueProblem(definition, value);
    if (problem) throw invalid(definition, problem);
    next[definition.attributeKey] = value;
  }
  return next;
}
