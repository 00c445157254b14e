import type { Actor } from '../../platform/events/outbox.js';

const PREFIX = 'automation_rule:';

/**
 * What a rule's actions are recorded as: system work carrying the rule's id, so the engine can
 * tell its own changes apart (Chatwoot's `performed_by` an AutomationRule) and never loop on them.
 */
export function automationActor(ruleId: number): Actor {
  return { type: 'system', id: `${PREFIX}${ruleId}` };
}

/** The rule whose action caused an event, read back from the stored actor; null for anything else. */
export function ruleIdOfActor(actor: Record<string, unknown> | null | undefined): number | null {
  if (actor?.type !== 'system' || typeof actor.id !== 'string' || !actor.id.startsWith(PREFIX)) return null;
  const id = Number(actor.id.slice(PREFIX.length));
  return Number.isSafeInteger(id) ? id : null;
}

export function originOf(ruleId: number): string {
  return `${PREFIX}${ruleId}`;
}
