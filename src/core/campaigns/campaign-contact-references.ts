import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DomainError, type ErrorDetail } from '../../platform/errors.js';
import type { CampaignRow } from './campaigns.tables.js';
import { checkPhone } from './campaign-contact-phones.js';

/** The fields of a contact that point at other rows or must be a valid number. */
export interface ContactReferences {
  wrapupId?: number | null | undefined;
  agentId?: number | null | undefined;
  assignedAgentId?: number | null | undefined;
  assignedGroupId?: number | null | undefined;
  calendarId?: number | null | undefined;
  contactCardDisplayNumber?: string | null | undefined;
  customFields?: Record<string, string> | undefined;
}

/** A set of ids as one JSON parameter: the same SQL on both drivers, whatever the count. */
export function idSet(ids: Iterable<number>): SQL {
  return sql`(SELECT (value)::bigint FROM jsonb_array_elements_text(${JSON.stringify([...ids])}::jsonb))`;
}

function distinct(
  items: readonly ContactReferences[],
  pick: (item: ContactReferences) => number | null | undefined,
) {
  const ids = new Set<number>();
  for (const item of items) {
    const value = pick(item);
    if (typeof value === 'number') ids.add(value);
  }
  return ids;
}

const asNumbers = (value: unknown): number[] => (Array.isArray(value) ? value.map(Number) : []);

/**
 * Checks, in one query for any number of contacts, that wrap-ups, agents, groups and calendars
 * exist in the account, that assigned agents and groups work the campaign (seed: "Must be
 * assigned to campaign"), that displayed numbers are valid ("non-validated numbers = 400") and
 * that custom fields are declared on the campaign. Throws VALIDATION_FAILED (the face's 400).
 */
export async function assertContactReferences(
  db: Db,
  campaign: CampaignRow,
  items: readonly ContactReferences[],
): Promise<void> {
  const details: ErrorDetail[] = [];
  checkDeclaredFields(campaign, items, details);
  for (const item of items) {
    const display = item.contactCardDisplayNumber;
    if (display && !checkPhone(display).isValid) {
      details.push({ path: 'contactCardDisplayNumber', message: `${display} is not a valid phone number` });
      break;
    }
  }
  const wanted = {
    wrapupId: distinct(items, (item) => item.wrapupId),
    agentId: distinct(items, (item) => item.agentId),
    assignedAgentId: distinct(items, (item) => item.assignedAgentId),
    assignedGroupId: distinct(items, (item) => item.assignedGroupId),
    calendarId: distinct(items, (item) => item.calendarId),
  };
  if (Object.values(wanted).some((ids) => ids.size > 0)) {
    const accountId = campaign.accountId;
    const [found] = await queryRows<Record<keyof typeof wanted, unknown>>(
      db,
      sql`SELECT
        ARRAY(SELECT id FROM wrapup_codes WHERE account_id = ${accountId} AND id IN ${idSet(wanted.wrapupId)}) AS "wrapupId",
        ARRAY(SELECT user_id FROM account_users WHERE account_id = ${accountId} AND user_id IN ${idSet(wanted.agentId)}) AS "agentId",
        ARRAY(SELECT user_id FROM campaign_users WHERE campaign_id = ${campaign.id} AND unassigned_at IS NULL
              AND user_id IN ${idSet(wanted.assignedAgentId)}) AS "assignedAgentId",
        ARRAY(SELECT team_id FROM campaign_groups WHERE campaign_id = ${campaign.id}
              AND team_id IN ${idSet(wanted.assignedGroupId)}) AS "assignedGroupId",
        ARRAY(SELECT id FROM dialer_calendars WHERE account_id = ${accountId} AND id IN ${idSet(wanted.calendarId)}) AS "calendarId"`,
    );
    for (const [field, ids] of Object.entries(wanted) as [keyof typeof wanted, Set<number>][]) {
      const present = new Set(asNumbers(found?.[field]));
      const missing = [...ids].filter((id) => !present.has(id));
      if (missing.length === 0) continue;
      const what = field.startsWith('assigned') ? 'is not assigned to the campaign' : 'does not exist';
      details.push({ path: field, message: `${missing.slice(0, 10).join(', ')} ${what}` });
    }
  }
  if (details.length > 0) throw new DomainError('VALIDATION_FAILED', 'Invalid contact', details);
}

/**
 * Diabolocom declares custom fields per campaign ("Add campaign custom field(s)"); a key the
 * campaign does not declare is refused rather than stored where no screen shows it.
 */
function checkDeclaredFields(
  campaign: CampaignRow,
  items: readonly ContactReferences[],
  details: ErrorDetail[],
) {
  const declared = new Set([...campaign.customFields, ...campaign.phoneFields]);
  const unknown = new Set<string>();
  for (const item of items) {
    for (const key of Object.keys(item.customFields ?? {})) if (!declared.has(key)) unknown.add(key);
  }
  if (unknown.size > 0) {
    details.push({
      path: 'customFields',
      message: `not custom fields of campaign ${campaign.id}: ${[...unknown].slice(0, 20).join(', ')}`,
    });
  }
}
