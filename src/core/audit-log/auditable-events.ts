import type { EventRow } from '../../platform/events/events.tables.js';
import type { AuditAction } from './audit-log.tables.js';

/** What one event says about one auditable, before it is compared with the auditable's last state. */
export interface AuditDraft {
  auditableType: string;
  auditableId: number;
  action: AuditAction;
  /** The auditable's fields as the event carries them (snake_case, as `audited` stores columns). */
  fields: Record<string, unknown>;
  /** Changes the event states outright (member lists); otherwise they are diffed from `fields`. */
  changes?: Record<string, unknown>;
}

/**
 * The administrative things audited, by event noun, with Chatwoot's class names. Nouns whose
 * events other modules may add later (labels, automation rules, portals…) are listed already:
 * their `<noun>.created|updated|deleted` events are audited as soon as they exist.
 */
const auditableTypes: Record<string, string> = {
  account: 'Account',
  agent_bot: 'AgentBot',
  api_key: 'ApiKey',
  article: 'Article',
  automation_rule: 'AutomationRule',
  campaign: 'Campaign',
  canned_response: 'CannedResponse',
  category: 'Category',
  custom_attribute: 'CustomAttributeDefinition',
  custom_attribute_definition: 'CustomAttributeDefinition',
  custom_role: 'CustomRole',
  dashboard_app: 'DashboardApp',
  inbox: 'Inbox',
  integration_hook: 'Integrations::Hook',
  invitation: 'Invitation',
  label: 'Label',
  macro: 'Macro',
  member: 'AccountUser',
  portal: 'Portal',
  queue: 'Queue',
  sla_policy: 'SlaPolicy',
  team: 'Team',
  webhook: 'Webhook',
};

/** Past-tense verbs of administrative events; others (`accepted`, `declined`…) are not the admin's doing. */
const actions: Record<string, AuditAction> = {
  created: 'create',
  added: 'create',
  updated: 'update',
  deleted: 'destroy',
  removed: 'destroy',
  revoked: 'destroy',
};

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function snakeKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [snakeCase(key), field]));
}

function integer(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : null;
}

/** A member is known by its user; everything else by its own id. */
function auditableIdOf(event: EventRow, noun: string): number | null {
  if (noun === 'member') return integer(event.payload.userId);
  return integer(event.payload.id) ?? integer(event.aggregateId);
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [];
}

/** `inbox.members_changed`, `team.members_changed`: the agent list before and after. */
function membersChange(event: EventRow, auditableType: string, idKey: string): AuditDraft | null {
  const auditableId = integer(event.payload[idKey]);
  if (auditableId === null) return null;
  const after = numbers(event.payload.userIds);
  const added = new Set(numbers(event.payload.addedUserIds));
  const before = [...after.filter((id) => !added.has(id)), ...numbers(event.payload.removedUserIds)].sort(
    (a, b) => a - b,
  );
  return {
    auditableType,
    auditableId,
    action: 'update',
    fields: { member_ids: after },
    changes: { member_ids: [before, [...after].sort((a, b) => a - b)] },
  };
}

/** Events whose shape is not `<noun>.<verb>` with the entity as payload. */
const specialCases: Record<string, (event: EventRow) => AuditDraft | null> = {
  'inbox.members_changed': (event) => membersChange(event, 'Inbox', 'inboxId'),
  'team.members_changed': (event) => membersChange(event, 'Team', 'teamId'),
  'queue.members_changed': (event) => membersChange(event, 'Queue', 'queueId'),
  'queue.inboxes_changed': (event) => {
    const auditableId = integer(event.payload.queueId);
    if (auditableId === null) return null;
    const after = numbers(event.payload.inboxIds);
    return {
      auditableType: 'Queue',
      auditableId,
      action: 'update',
      fields: { inbox_ids: after },
      changes: { inbox_ids: [numbers(event.payload.previousInboxIds), after] },
    };
  },
  'webhook.disabled': (event) => {
    const auditableId = integer(event.payload.id);
    if (auditableId === null) return null;
    const reason = typeof event.payload.reason === 'string' ? event.payload.reason : null;
    return {
      auditableType: 'Webhook',
      auditableId,
      action: 'update',
      fields: { enabled: false },
      changes: { enabled: [true, false], disabled_reason: [null, reason] },
    };
  },
  'agent.profile_updated': (event) => {
    const auditableId = integer(event.payload.userId);
    if (auditableId === null) return null;
    const fields = Array.isArray(event.payload.fields) ? event.payload.fields.map(String).map(snakeCase) : [];
    // The event names the fields, not their values: the change lists them without values.
    return {
      auditableType: 'User',
      auditableId,
      action: 'update',
      fields: {},
      changes: { changed_fields: fields },
    };
  },
};

/** The audit draft of an event, or null when the event is no administrative change. */
export function auditDraftOf(event: EventRow): AuditDraft | null {
  const special = specialCases[event.type];
  if (special) return special(event);
  const [noun = '', verb = ''] = event.type.split('.');
  const auditableType = auditableTypes[noun];
  const action = actions[verb];
  if (!auditableType || !action) return null;
  const auditableId = auditableIdOf(event, noun);
  if (auditableId === null) return null;
  return { auditableType, auditableId, action, fields: snakeKeys(event.payload) };
}
