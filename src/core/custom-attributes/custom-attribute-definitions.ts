import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import {
  customAttributeDefinitionCreated,
  customAttributeDefinitionDeleted,
  customAttributeDefinitionUpdated,
  definitionEventPayload,
} from './custom-attributes.events.js';
import {
  customAttributeDefinitions,
  type AttributeDisplayType,
  type AttributeModel,
  type CustomAttributeDefinitionRow,
} from './custom-attributes.tables.js';

export interface DefinitionInput {
  attributeModel: AttributeModel;
  attributeKey: string;
  attributeDisplayName: string;
  attributeDisplayType: AttributeDisplayType;
  attributeDescription?: string | null | undefined;
  attributeValues?: string[] | undefined;
  regexPattern?: string | null | undefined;
  regexCue?: string | null | undefined;
  defaultValue?: unknown;
}

const KEY = /^[a-zA-Z0-9_-]{1,100}$/;

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field} ${message}`, [{ path: field, message }]);
}

function assertValid(input: Partial<DefinitionInput>, current?: CustomAttributeDefinitionRow): void {
  if (input.attributeKey !== undefined && !KEY.test(input.attributeKey)) {
    throw invalid('attribute_key', 'may only contain letters, digits, _ and -');
  }
  if (input.regexPattern) {
    try {
      new RegExp(input.regexPattern);
    } catch {
      throw invalid('regex_pattern', 'is not a valid regular expression');
    }
  }
  const type = input.attributeDisplayType ?? current?.attributeDisplayType;
  const values = input.attributeValues ?? current?.attributeValues ?? [];
  if (type === 'list' && values.length === 0) {
    throw invalid('attribute_values', 'must list the allowed values of a list attribute');
  }
}

async function assertKeyFree(
  db: Db,
  accountId: number,
  model: AttributeModel,
  key: string,
  exceptId?: number,
) {
  const [taken] = await db
    .select({ id: customAttributeDefinitions.id })
    .from(customAttributeDefinitions)
    .where(
      and(
        eq(customAttributeDefinitions.accountId, accountId),
        eq(customAttributeDefinitions.attributeModel, model),
        eq(customAttributeDefinitions.attributeKey, key),
      ),
    );
  if (taken && taken.id !== exceptId) throw invalid('attribute_key', 'has already been taken');
}

export async function createDefinition(
  db: Db,
  accountId: number,
  input: DefinitionInput,
  actor: Actor | undefined,
): Promise<CustomAttributeDefinitionRow> {
  assertValid(input);
  await assertKeyFree(db, accountId, input.attributeModel, input.attributeKey);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(customAttributeDefinitions)
      .values({ ...input, accountId, attributeValues: input.attributeValues ?? [] })
      .onConflictDoNothing()
      .returning();
    if (!row) throw invalid('attribute_key', 'has already been taken');
    await recordDefinitionEvent(tx, customAttributeDefinitionCreated, row, actor);
    return row;
  });
}

function recordDefinitionEvent(
  tx: Db,
  definition: typeof customAttributeDefinitionCreated,
  row: CustomAttributeDefinitionRow,
  actor: Actor | undefined,
): Promise<void> {
  return recordEvent(tx, definition, {
    accountId: row.accountId,
    aggregateId: row.id,
    payload: definitionEventPayload(row),
    actor,
  });
}

export async function getDefinition(
  db: Db,
  accountId: number,
  id: number,
): Promise<CustomAttributeDefinitionRow> {
  const [row] = await db
    .select()
    .from(customAttributeDefinitions)
    .where(and(eq(customAttributeDefinitions.accountId, accountId), eq(customAttributeDefinitions.id, id)));
  if (!row) throw notFound('Custom attribute definition');
  return row;
}

export async function listDefinitions(
  db: Db,
  accountId: number,
  model?: AttributeModel,
): Promise<CustomAttributeDefinitionRow[]> {
  return db
    .select()
    .from(customAttributeDefinitions)
    .where(
      and(
        eq(customAttributeDefinitions.accountId, accountId),
        model === undefined ? undefined : eq(customAttributeDefinitions.attributeModel, model),
      ),
    )
    .orderBy(asc(customAttributeDefinitions.id));
}

export async function updateDefinition(
  db: Db,
  accountId: number,
  id: number,
  input: Partial<DefinitionInput>,
  actor: Actor | undefined,
): Promise<CustomAttributeDefinitionRow> {
  const current = await getDefinition(db, accountId, id);
  assertValid(input, current);
  const model = input.attributeModel ?? current.attributeModel;
  const key = input.attributeKey ?? current.attributeKey;
  await assertKeyFree(db, accountId, model, key, id);
  const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(customAttributeDefinitions)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(customAttributeDefinitions.accountId, accountId), eq(customAttributeDefinitions.id, id)))
      .returning();
    if (!row) throw notFound('Custom attribute definition');
    await recordDefinitionEvent(tx, customAttributeDefinitionUpdated, row, actor);
    return row;
  });
}

export async function deleteDefinition(
  db: Db,
  accountId: number,
  id: number,
  actor: Actor | undefined,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(customAttributeDefinitions)
      .where(and(eq(customAttributeDefinitions.accountId, accountId), eq(customAttributeDefinitions.id, id)))
      .returning();
    if (!removed) throw notFound('Custom attribute definition');
    await recordDefinitionEvent(tx, customAttributeDefinitionDeleted, removed, actor);
  });
}
