import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import {
  campaignContacts,
  type CampaignContactRow,
  type CampaignRow,
  type ExclusionCause,
} from './campaigns.tables.js';
import { excludeDuplicates } from './campaign-contact-duplicates.js';
import type { CampaignContactInput } from './contact-input.js';
import { contactPhones } from './campaign-contact-phones.js';
import { assertContactReferences } from './campaign-contact-references.js';
import { linkCoreContacts, personNames } from './campaign-contact-links.js';

export { contactInputSchema, contactChangesSchema } from './contact-input.js';
export type { CampaignContactInput, CampaignContactChanges } from './contact-input.js';
export {
  updateCampaignContacts,
  deleteCampaignContact,
  deleteCampaignContacts,
} from './campaign-contact-changes.js';

/** Rows per statement: big enough to amortize round trips, small enough for one JSON parameter. */
const CHUNK = 5_000;

/** Diabolocom: without `priorityMode`, new contacts get the default priority 10. */
const DEFAULT_PRIORITY = 10;

export interface InsertCampaignContactsParams {
  campaign: CampaignRow;
  inputs: CampaignContactInput[];
  /** The login shown as createdBy / lastUpdatedBy. */
  actor: string;
  /** Who the core contacts' `contact.created` events name. */
  eventActor?: Actor;
  /** Seed: with priorityMode the campaign's new-contact priority applies, without it 10. */
  priorityMode?: boolean;
  /** Items of a batch: a replay of the same item inserts nothing. */
  batch?: { id: string; startIndex: number };
}

export interface ExcludedContact {
  /** Position in `inputs`. */
  index: number;
  /** The system id (`id`) of the contact, inserted as excluded. */
  id?: number;
  /** The per-campaign `contactId`. */
  contactId?: number;
  cause: ExclusionCause;
}

/** A contact the call inserted (excluded or not). */
export interface InsertedContact {
  id: number;
  contactNumber: number;
}

export interface InsertCampaignContactsResult {
  inserted: InsertedContact[];
  excluded: ExcludedContact[];
}

/**
 * Adds contacts to a campaign, set-based: per chunk of 5,000 one statement links or creates the
 * core contacts, one reserves the contact numbers, one inserts. Contacts without a valid phone
 * (noValidPhone / tooShort / tooLong) or with a number on the do-not-call list (bloctel) are
 * inserted excluded, as Diabolocom reports them; so are duplicates, when the campaign's
 * `deduplicationParams` ask for it (campaign-contact-duplicates.ts). References (wrap-up, agents,
 * groups, calendar, custom field names) are checked first: a bad one fails the whole call with
 * nothing written.
 */
export async function insertCampaignContacts(
  tx: Db,
  params: InsertCampaignContactsParams,
): Promise<InsertCampaignContactsResult> {
  await assertContactReferences(tx, params.campaign, params.inputs);
  const result: InsertCampaignContactsResult = { inserted: [], excluded: [] };
  for (let start = 0; start < params.inputs.length; start += CHUNK) {
    const chunk = params.inputs.slice(start, start + CHUNK);
    const part = await insertChunk(tx, params, chunk, start);
    result.inserted.push(...part.inserted);
    result.excluded.push(...part.excluded);
  }
  return result;
}

async function insertChunk(
  tx: Db,
  params: InsertCampaignContactsParams,
  chunk: CampaignContactInput[],
  offset: number,
): Promise<InsertCampaignContactsResult> {
  const { campaign, batch } = params;
  const positions = await pendingPositions(tx, chunk.length, offset, batch);
  if (positions.length === 0) return { inserted: [], excluded: [] };
  const prepared = positions.flatMap((position) => {
    const input = chunk[position - offset];
    return input
      ? [{ position, input, phones: contactPhones(campaign.phoneFields, input.customFields) }]
      : [];
  });
  const blocked = await doNotCallDigits(
    tx,
    campaign.accountId,
    prepared.flatMap((item) => item.phones.digits),
  );
  const contactIds = await linkCoreContacts(
    tx,
    campaign.accountId,
    prepared.map(({ input, phones }) => ({
      phoneNumber: phones.primaryE164,
      ...personNames(input.customFields),
    })),
    params.eventActor,
  );
  const [reserved] = await queryRows<{ last: string | number }>(
    tx,
    sql`UPDATE campaigns SET last_contact_number = last_contact_number + ${prepared.length}
        WHERE id = ${campaign.id} AND account_id = ${campaign.accountId}
        RETURNING last_contact_number AS last`,
  );
  const firstNumber = Number(reserved?.last) - prepared.length + 1;
  const defaultPriority = params.priorityMode ? campaign.contactPriority : DEFAULT_PRIORITY;
  const rows = prepared.map(({ position, input, phones }, index) => {
    const cause: ExclusionCause | null = !phones.hasValidPhone
      ? phones.invalidCause
      : phones.digits.some((digits) => blocked.has(digits))
        ? 'bloctel'
        : input.excluded
          ? 'manual'
          : null;
    return {
      contact_number: firstNumber + index,
      contact_id: contactIds[index],
      comment: input.comment ?? null,
      excluded: cause !== null,
      excluded_detail: cause,
      priority: input.priority ?? defaultPriority,
      retry_at: input.retryDate ?? null,
      tries_number: input.triesNumber ?? 0,
      wrapup_id: input.wrapupId ?? null,
      agent_id: input.agentId ?? null,
      assigned_agent_id: input.assignedAgentId ?? null,
      assigned_group_id: input.assignedGroupId ?? null,
      assigned_agent_expires_at: input.assignedAgentExpirationTime ?? null,
      assigned_group_expires_at: input.assignedGroupExpirationTime ?? null,
      min_calling_at: input.minCallingDateTime ?? null,
      max_calling_at: input.maxCallingDateTime ?? null,
      contact_card_display_number: input.contactCardDisplayNumber || null,
      current_phone_name: phones.currentPhoneName,
      calendar_id: input.calendarId ?? null,
      custom_fields: input.customFields,
      phones: phones.phones,
      phone_numbers: phones.digits,
      region: input.region ?? null,
      batch_index: batch ? batch.startIndex + position : null,
      position,
    };
  });
  const created = await queryRows<{ id: string | number; contact_number: string | number }>(
    tx,
    sql`WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        contact_number bigint, contact_id bigint, comment text, excluded boolean, excluded_detail text,
        priority int, retry_at timestamptz, tries_number int, wrapup_id bigint, agent_id bigint,
        assigned_agent_id bigint, assigned_group_id bigint, assigned_agent_expires_at timestamptz,
        assigned_group_expires_at timestamptz, min_calling_at timestamptz, max_calling_at timestamptz,
        contact_card_display_number text, current_phone_name text, calendar_id bigint,
        custom_fields jsonb, phones jsonb, phone_numbers text[], region int, batch_index int)
    )
    INSERT INTO campaign_contacts (
      account_id, campaign_id, contact_number, contact_id, comment, excluded, excluded_detail, priority,
      retry_at, tries_number, wrapup_id, wrapup_status, agent_id, assigned_agent_id, assigned_group_id,
      assigned_agent_expires_at, assigned_group_expires_at, min_calling_at, max_calling_at,
      contact_card_display_number, current_phone_name, calendar_id, custom_fields, phones, phone_numbers,
      region, batch_id, batch_index, created_by, last_updated_by)
    SELECT ${campaign.accountId}, ${campaign.id}, r.contact_number, r.contact_id, r.comment, r.excluded,
      r.excluded_detail, r.priority, r.retry_at, r.tries_number, r.wrapup_id, w.status, r.agent_id,
      r.assigned_agent_id, r.assigned_group_id, r.assigned_agent_expires_at, r.assigned_group_expires_at,
      r.min_calling_at, r.max_calling_at, r.contact_card_display_number, r.current_phone_name, r.calendar_id,
      r.custom_fields, r.phones, r.phone_numbers, r.region, ${batch?.id ?? null}::uuid, r.batch_index,
      ${params.actor}, ${params.actor}
    FROM r LEFT JOIN wrapup_codes w ON w.id = r.wrapup_id AND w.account_id = ${campaign.accountId}
    ORDER BY r.contact_number
    ON CONFLICT (batch_id, batch_index) WHERE batch_id IS NOT NULL DO NOTHING
    RETURNING id, contact_number`,
  );
  const idByNumber = new Map(created.map((row) => [Number(row.contact_number), Number(row.id)]));
  const fresh = rows.flatMap((row) => {
    const id = idByNumber.get(row.contact_number);
    return id === undefined
      ? []
      : [{ ...row, id, digits: row.phone_numbers, customFields: row.custom_fields }];
  });
  const duplicates = await excludeDuplicates(tx, campaign, fresh, batch?.id ?? null);
  const excluded: ExcludedContact[] = [];
  for (const row of fresh) {
    const cause = duplicates.has(row.id) ? 'duplicate' : row.excluded_detail;
    if (cause) excluded.push({ index: row.position, id: row.id, contactId: row.contact_number, cause });
  }
  const inserted = fresh
    .map((row) => ({ id: row.id, contactNumber: row.contact_number }))
    .sort((a, b) => a.id - b.id);
  return { inserted, excluded };
}

/** Positions of the chunk still to insert: a batch replay skips the items already in. */
async function pendingPositions(
  tx: Db,
  count: number,
  offset: number,
  batch: InsertCampaignContactsParams['batch'],
): Promise<number[]> {
  const all = Array.from({ length: count }, (_, index) => offset + index);
  if (!batch) return all;
  const done = await tx
    .select({ index: campaignContacts.batchIndex })
    .from(campaignContacts)
    .where(
      and(
        eq(campaignContacts.batchId, batch.id),
        sql`${campaignContacts.batchIndex} BETWEEN ${batch.startIndex + offset} AND ${batch.startIndex + offset + count - 1}`,
      ),
    );
  const seen = new Set(done.map((row) => (row.index ?? -1) - batch.startIndex));
  return all.filter((position) => !seen.has(position));
}

async function doNotCallDigits(tx: Db, accountId: number, digits: string[]): Promise<Set<string>> {
  if (digits.length === 0) return new Set();
  const rows = await queryRows<{ phone_number: string }>(
    tx,
    sql`SELECT phone_number FROM do_not_call_numbers WHERE account_id = ${accountId}
        AND phone_number IN (SELECT jsonb_array_elements_text(${JSON.stringify(digits)}::jsonb))`,
  );
  return new Set(rows.map((row) => row.phone_number));
}

/** One contact of a campaign by its per-campaign `contactId` (Diabolocom's path parameter). */
export async function findCampaignContact(
  db: Db,
  campaign: CampaignRow,
  contactNumber: number,
): Promise<CampaignContactRow | undefined> {
  const [row] = await db
    .select()
    .from(campaignContacts)
    .where(
      and(
        eq(campaignContacts.accountId, campaign.accountId),
        eq(campaignContacts.campaignId, campaign.id),
        eq(campaignContacts.contactNumber, contactNumber),
      ),
    );
  return row;
}
