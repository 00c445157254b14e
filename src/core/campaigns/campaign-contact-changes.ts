import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { CampaignRow } from './campaigns.tables.js';
import type { CampaignContactChanges } from './contact-input.js';
import { checkPhone } from './campaign-contact-phones.js';
import { assertContactReferences } from './campaign-contact-references.js';

/** Causes that come from the phones themselves: they follow the phones, not a person's choice. */
const PHONE_CAUSES = sql.raw(`('noValidPhone', 'tooShort', 'tooLong', 'bloctel')`);

const onCall = () => new DomainError('INVALID_STATE', 'contact is on an ongoing call');

export interface UpdateCampaignContactsParams {
  campaign: CampaignRow;
  /** A condition over `campaign_contacts` (e.g. `contactFilterSql(filter)`); account and campaign are added. */
  where: SQL;
  changes: CampaignContactChanges;
  /** The login shown as lastUpdatedBy. */
  actor: string;
  /** A single update refuses (409) a contact on a call; a batch skips it (its id is not returned). */
  refuseOnCall?: boolean;
}

/**
 * Applies the same changes to every contact of the campaign matching `where`, in one UPDATE.
 * Custom fields merge (omitted keys stay); changing a phone field recomputes `phones`,
 * `phone_numbers` and the phone exclusions. Contacts on a call are never changed.
 * Returns the ids changed.
 */
export async function updateCampaignContacts(
  tx: Db,
  params: UpdateCampaignContactsParams,
): Promise<number[]> {
  const { campaign, changes } = params;
  await assertContactReferences(tx, campaign, [changes]);
  const assignments = [...plainAssignments(changes), ...exclusionAssignments(campaign, changes)];
  assignments.push(sql`updated_at = now()`, sql`last_updated_by = ${params.actor}`);
  const scope = sql`account_id = ${campaign.accountId} AND campaign_id = ${campaign.id} AND (${params.where})`;
  const rows = await queryRows<{ id: string | number }>(
    tx,
    sql`UPDATE campaign_contacts SET ${sql.join(assignments, sql`, `)}
        WHERE ${scope} AND state <> 'processing_in_progress'
        RETURNING id`,
  );
  if (rows.length === 0 && params.refuseOnCall) {
    const busy = await queryRows(tx, sql`SELECT 1 FROM campaign_contacts WHERE ${scope} LIMIT 1`);
    if (busy.length > 0) throw onCall();
  }
  return rows.map((row) => Number(row.id));
}

function plainAssignments(changes: CampaignContactChanges): SQL[] {
  const set: SQL[] = [];
  const assign = (column: string, value: unknown, cast = '') => {
    if (value !== undefined) set.push(sql`${sql.raw(column)} = ${value}${sql.raw(cast)}`);
  };
  assign('priority', changes.priority);
  assign('retry_at', changes.retryDate, '::timestamptz');
  assign('tries_number', changes.triesNumber);
  assign('comment', changes.comment);
  assign('agent_id', changes.agentId, '::bigint');
  assign('assigned_agent_id', changes.assignedAgentId, '::bigint');
  assign('assigned_group_id', changes.assignedGroupId, '::bigint');
  assign('assigned_agent_expires_at', changes.assignedAgentExpirationTime, '::timestamptz');
  assign('assigned_group_expires_at', changes.assignedGroupExpirationTime, '::timestamptz');
  assign('min_calling_at', changes.minCallingDateTime, '::timestamptz');
  assign('max_calling_at', changes.maxCallingDateTime, '::timestamptz');
  assign(
    'contact_card_display_number',
    changes.contactCardDisplayNumber === undefined ? undefined : changes.contactCardDisplayNumber || null,
  );
  assign('calendar_id', changes.calendarId, '::bigint');
  assign('region', changes.region !== undefined ? changes.region : changes.regionalizationCode, '::integer');
  if (changes.wrapupId !== undefined) {
    set.push(sql`wrapup_id = ${changes.wrapupId}::bigint`);
    set.push(
      sql`wrapup_status = (SELECT status FROM wrapup_codes WHERE id = ${changes.wrapupId}::bigint
          AND account_id = campaign_contacts.account_id)`,
    );
  }
  if (changes.customFields !== undefined) {
    set.push(sql`custom_fields = custom_fields || ${JSON.stringify(changes.customFields)}::jsonb`);
  }
  return set;
}

/** The SQL for `excluded`/`excluded_detail` (and the phones when a phone field changes). */
function exclusionAssignments(campaign: CampaignRow, changes: CampaignContactChanges): SQL[] {
  const touched = campaign.phoneFields.filter((field) => changes.customFields?.[field] !== undefined);
  if (touched.length === 0) {
    if (changes.excluded === true) {
      return [
        sql`excluded = true`,
        sql`excluded_detail = CASE WHEN excluded THEN excluded_detail ELSE 'manual' END`,
      ];
    }
    if (changes.excluded === false) {
      // A contact whose phones cannot be dialled stays excluded whatever is asked.
      return [
        sql`excluded = coalesce(excluded_detail IN ${PHONE_CAUSES}, false)`,
        sql`excluded_detail = CASE WHEN excluded_detail IN ${PHONE_CAUSES} THEN excluded_detail END`,
      ];
    }
    return [];
  }
  const valid: Record<string, string> = {};
  const removed: string[] = [];
  for (const field of touched) {
    const value = (changes.customFields?.[field] ?? '').trim();
    if (value && checkPhone(value).isValid) valid[field] = value;
    else removed.push(field);
  }
  const minus =
    removed.length > 0
      ? sql`(phones - ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(removed)}::jsonb)))`
      : sql`phones`;
  const next = sql`(${minus} || ${JSON.stringify(valid)}::jsonb)`;
  const digits = sql`ARRAY(SELECT DISTINCT regexp_replace(regexp_replace(v, '\\D', '', 'g'), '^00', '')
    FROM jsonb_each_text(${next}) AS e(k, v))`;
  const noPhone = sql`(${next} = '{}'::jsonb)`;
  const blocked = sql`EXISTS (SELECT 1 FROM do_not_call_numbers d WHERE d.account_id = campaign_contacts.account_id
    AND d.phone_number = ANY(${digits}))`;
  const keptManual = sql`(excluded AND excluded_detail NOT IN ${PHONE_CAUSES})`;
  const manual = changes.excluded === true ? sql`true` : changes.excluded === false ? sql`false` : keptManual;
  const manualDetail =
    changes.excluded === true
      ? sql`CASE WHEN ${keptManual} THEN excluded_detail ELSE 'manual' END`
      : changes.excluded === false
        ? sql`NULL`
        : sql`CASE WHEN ${keptManual} THEN excluded_detail END`;
  return [
    sql`phones = ${next}`,
    sql`phone_numbers = ${digits}`,
    sql`current_phone_name = CASE WHEN ${next} ? coalesce(current_phone_name, '') THEN current_phone_name
        ELSE (SELECT k FROM jsonb_each_text(${next}) AS e(k, v) LIMIT 1) END`,
    sql`excluded = CASE WHEN ${noPhone} OR ${blocked} THEN true ELSE ${manual} END`,
    sql`excluded_detail = CASE WHEN ${noPhone} THEN 'noValidPhone' WHEN ${blocked} THEN 'bloctel'
        ELSE ${manualDetail} END`,
  ];
}

function assertDeletable(campaign: CampaignRow): void {
  // Seed: "Contacts in archived or deleted campaigns cannot be deleted."
  if (campaign.isArchived) {
    throw new DomainError('INVALID_STATE', 'Contacts of an archived campaign cannot be deleted');
  }
}

/**
 * Deletes one contact by its system id. 409 when it is on a call or its campaign is archived;
 * false when it does not exist in the campaign.
 */
export async function deleteCampaignContact(
  tx: Db,
  params: { campaign: CampaignRow; id: number },
): Promise<boolean> {
  assertDeletable(params.campaign);
  const { campaign, id } = params;
  const rows = await queryRows<{ state: string }>(
    tx,
    sql`WITH target AS (
          SELECT id, state FROM campaign_contacts
          WHERE account_id = ${campaign.accountId} AND campaign_id = ${campaign.id} AND id = ${id}
          FOR UPDATE
        ),
        gone AS (
          DELETE FROM campaign_contacts WHERE id IN (SELECT id FROM target WHERE state <> 'processing_in_progress')
          RETURNING id
        )
        SELECT state FROM target`,
  );
  const [row] = rows;
  if (!row) return false;
  if (row.state === 'processing_in_progress') throw onCall();
  return true;
}

/** Deletes the contacts of the campaign matching `where`, skipping those on a call; returns their ids. */
export async function deleteCampaignContacts(
  tx: Db,
  params: { campaign: CampaignRow; where: SQL },
): Promise<number[]> {
  assertDeletable(params.campaign);
  const { campaign } = params;
  const rows = await queryRows<{ id: string | number }>(
    tx,
    sql`DELETE FROM campaign_contacts
        WHERE account_id = ${campaign.accountId} AND campaign_id = ${campaign.id} AND (${params.where})
          AND state <> 'processing_in_progress'
        RETURNING id`,
  );
  return rows.map((row) => Number(row.id));
}
