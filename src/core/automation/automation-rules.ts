import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound, type ErrorDetail } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { automationRules, type AutomationRuleRow } from './automation.tables.js';
import {
  automationRuleCreated,
  automationRuleDeleted,
  automationRuleUpdated,
  ruleEventPayload,
} from './automation-rules.events.js';
import {
  isRuleEvent,
  normalizeActions,
  normalizeConditions,
  type ActionInput,
  type ConditionInput,
} from './rule-definition.js';
import { ruleEvents } from './rule-vocabulary.js';
import { loadRuleReferences } from './rule-references.js';
import { removeStaleRuleWebhooks } from './rule-webhooks.js';

export type { AutomationRuleRow } from './automation.tables.js';

export interface RuleInput {
  name: string;
  description?: string | undefined;
  eventName: string;
  active?: boolean | undefined;
  conditions?: ConditionInput[] | undefined;
  actions?: ActionInput[] | undefined;
}

export type RulePatch = Partial<RuleInput>;

/** Validates everything at once, so a client sees every problem in one answer. */
async function normalize(db: Db, accountId: number, input: RulePatch) {
  const errors: ErrorDetail[] = [];
  if (input.name !== undefined && input.name.trim() === '')
    errors.push({ path: 'name', message: "can't be blank" });
  if (input.eventName !== undefined && !isRuleEvent(input.eventName)) {
    errors.push({ path: 'event_name', message: `must be one of ${ruleEvents.join(', ')}` });
  }
  const references = await loadRuleReferences(db, accountId, input.actions ?? []);
  const conditions = input.conditions && normalizeConditions(input.conditions, references, errors);
  const actions = input.actions && normalizeActions(input.actions, references, errors);
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', errors.map((error) => error.message).join('; '), errors);
  }
  return {
    ...(input.name !== undefined && { name: input.name.trim() }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.eventName !== undefined && { eventName: input.eventName }),
    ...(input.active !== undefined && { active: input.active }),
    ...(conditions && { conditions }),
    ...(actions && { actions }),
  };
}

export async function listRules(
  db: Db,
  accountId: number,
  page: { offset: number; limit: number },
): Promise<AutomationRuleRow[]> {
  return db
    .select()
    .from(automationRules)
    .where(eq(automationRules.accountId, accountId))
    .orderBy(asc(automationRules.id))
    .offset(page.offset)
    .limit(page.limit);
}

export async function getRule(db: Db, accountId: number, id: number): Promise<AutomationRuleRow> {
  const [row] = await db
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.accountId, accountId), eq(automationRules.id, id)));
  if (!row) throw notFound('Automation rule');
  return row;
}

export async function createRule(
  db: Db,
  accountId: number,
  input: RuleInput,
  actor: Actor,
): Promise<AutomationRuleRow> {
  const values = await normalize(db, accountId, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(automationRules)
      .values({ accountId, name: input.name, eventName: input.eventName, ...values })
      .returning();
    if (!row) throw new Error('insert returned no automation rule');
    await recordEvent(tx, automationRuleCreated, {
      accountId,
      aggregateId: row.id,
      payload: { rule: ruleEventPayload(row) },
      actor,
    });
    return row;
  });
}

const comparedFields = ['name', 'description', 'eventName', 'conditions', 'actions', 'active'] as const;
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export async function updateRule(
  db: Db,
  accountId: number,
  id: number,
  patch: RulePatch,
  actor: Actor,
): Promise<AutomationRuleRow> {
  // Another account's rule is a 404 whatever the body says.
  await getRule(db, accountId, id);
  const values = await normalize(db, accountId, patch);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(automationRules)
      .where(and(eq(automationRules.accountId, accountId), eq(automationRules.id, id)))
      .for('update');
    if (!before) throw notFound('Automation rule');
    const [row] = await tx
      .update(automationRules)
      .set({ ...values, updatedAt: sql`now()` })
      .where(and(eq(automationRules.accountId, accountId), eq(automationRules.id, id)))
      .returning();
    if (!row) throw notFound('Automation rule');
    const changes = Object.fromEntries(
      comparedFields
        .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(row[field]))
        .map((field) => [snakeCase(field), { from: before[field], to: row[field] }]),
    );
    await removeStaleRuleWebhooks(tx, row);
    await recordEvent(tx, automationRuleUpdated, {
      accountId,
      aggregateId: row.id,
      payload: { rule: ruleEventPayload(row), changes },
      actor,
    });
    return row;
  });
}

export async function deleteRule(db: Db, accountId: number, id: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(automationRules)
      .where(and(eq(automationRules.accountId, accountId), eq(automationRules.id, id)))
      .returning();
    if (!row) throw notFound('Automation rule');
    await removeStaleRuleWebhooks(tx, { ...row, actions: [] });
    await recordEvent(tx, automationRuleDeleted, {
      accountId,
      aggregateId: row.id,
      payload: { rule: ruleEventPayload(row) },
      actor,
    });
  });
}
