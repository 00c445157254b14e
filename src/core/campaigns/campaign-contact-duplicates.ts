import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import type { CampaignRow } from './campaigns.tables.js';

/** A contact just inserted, as the duplicate check reads it. */
export interface FreshContact {
  id: number;
  /** The digits of its valid phones (`phone_numbers`). */
  digits: string[];
  customFields: Record<string, string>;
}

/**
 * The values `excludeSameValues` compares, as a jsonb containment key; null when the contact lacks
 * one of the fields (an empty value is no value: two contacts without an email are not the same).
 */
function valueKey(fields: readonly string[], customFields: Record<string, string>) {
  if (fields.length === 0) return null;
  const key: Record<string, string> = {};
  for (const field of fields) {
    const value = customFields[field];
    if (value === undefined || value.trim() === '') return null;
    key[field] = value;
  }
  return key;
}

/**
 * What makes a contact `o` a duplicate of the fresh contact `f`, from the campaign's
 * `deduplicationParams`: a phone in common (`excludeSamePhones`), or the same values in every field
 * of `excludeSameValues`; `excludeDomain: "file"` compares only contacts of the same batch.
 * Undefined when the campaign does not deduplicate (or, for "file", outside a batch).
 */
function duplicateMatch(campaign: CampaignRow, batchId: string | null): SQL | undefined {
  const params = campaign.deduplicationParams;
  const conditions: SQL[] = [];
  if (params?.excludeSamePhones) {
    conditions.push(sql`(cardinality(f.phones) > 0 AND o.phone_numbers && f.phones)`);
  }
  if (params?.excludeSameValues?.length) {
    conditions.push(sql`(f.value_key IS NOT NULL AND o.custom_fields @> f.value_key)`);
  }
  if (conditions.length === 0) return undefined;
  const either = sql.join(conditions, sql` OR `);
  if (params?.excludeDomain !== 'file') return either;
  return batchId ? sql`(${either}) AND o.batch_id = ${batchId}::uuid` : undefined;
}

/**
 * Marks the fresh contacts that duplicate an earlier contact of the campaign (one there before, or
 * one before them in the same import): `duplicateContactIds` lists the earlier contacts' system ids
 * and the contact is excluded as `duplicate`, unless it is already excluded for another reason.
 * One statement; each fresh contact is one probe of the phone or custom field GIN index, and only
 * the duplicates are written again. Returns the ids newly excluded as duplicates.
 */
export async function excludeDuplicates(
  tx: Db,
  campaign: CampaignRow,
  fresh: readonly FreshContact[],
  batchId: string | null,
): Promise<Set<number>> {
  const match = duplicateMatch(campaign, batchId);
  if (!match || fresh.length === 0) return new Set();
  const fields = [...new Set(campaign.deduplicationParams?.excludeSameValues ?? [])];
  const input = fresh.map((contact) => ({
    id: contact.id,
    phones: contact.digits,
    value_key: valueKey(fields, contact.customFields),
  }));
  const rows = await queryRows<{ id: string | number; is_duplicate: boolean }>(
    tx,
    sql`WITH f AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS f(id bigint, phones text[], value_key jsonb)
    ),
    found AS (
      SELECT f.id, array_agg(o.id ORDER BY o.id) AS duplicate_ids
      FROM f CROSS JOIN LATERAL (
        SELECT o.id FROM campaign_contacts o
        WHERE o.campaign_id = ${campaign.id} AND o.account_id = ${campaign.accountId} AND o.id < f.id
          AND (${match})
      ) o
      GROUP BY f.id
    )
    UPDATE campaign_contacts c SET duplicate_contact_ids = found.duplicate_ids, excluded = true,
      excluded_detail = CASE WHEN c.excluded THEN c.excluded_detail ELSE 'duplicate' END
    FROM found WHERE c.id = found.id AND c.account_id = ${campaign.accountId}
    RETURNING c.id, c.excluded_detail = 'duplicate' AS is_duplicate`,
  );
  return new Set(rows.filter((row) => row.is_duplicate).map((row) => Number(row.id)));
}
