/**
 * "Field blank" conditions of a search (`eq null` / `notEq null` on a custom field) through the
 * contacts' shapes. No index can list the contacts that lack a field, and when few or none do, the
 * search read the whole campaign to find that out (over a second for a million contacts). A shape
 * is the set of fields a contact has filled (set and not empty); a campaign's contacts come in a
 * handful of them. The index on (campaign, hash of the shape) lists them with a skip scan (one index
 * probe per shape), and "field blank" becomes "shape among those without the field": an indexed
 * condition with statistics behind its estimate, or no contact at all.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { campaignContacts as cc, type CampaignRow } from './campaigns.tables.js';
import type { ContactFilter, CustomFieldCondition } from './contact-filter.js';

/** Past this many shapes the skip scan stops and the conditions stay as they are. */
const MAX_SHAPES = 64;

/** The indexed expression (campaign_contacts_filled_fields_idx, migration 0047). */
const shapeHash = sql`campaign_contact_filled_fields_hash(${cc.customFields})`;

export type BlankFieldPlan =
  /** No blank-field condition, or too many shapes to help. */
  | { kind: 'none' }
  /** No contact of the campaign can match. */
  | { kind: 'empty' }
  /** An indexed condition that selects exactly the shapes that match, to AND with the filter. */
  | { kind: 'shapes'; condition: SQL };

export const isBlankFieldCondition = (condition: CustomFieldCondition) => (condition.value ?? null) === null;

export async function planBlankFields(
  db: Db,
  campaign: Pick<CampaignRow, 'id' | 'accountId'>,
  filter: ContactFilter,
): Promise<BlankFieldPlan> {
  const conditions = (filter.customFieldConditions ?? []).filter(isBlankFieldCondition);
  if (conditions.length === 0) return { kind: 'none' };
  const shapes = await campaignShapes(db, campaign);
  if (!shapes) return { kind: 'none' };
  // `eq null`: the field is blank; `notEq null`: it is filled (the only two operators null goes with).
  const matching = shapes.filter((shape) =>
    conditions.every(
      (condition) => shape.fields.has(condition.customFieldName) === (condition.condition !== 'eq'),
    ),
  );
  if (matching.length === 0) return { kind: 'empty' };
  const hashes = sql.join(
    matching.map((shape) => sql`${shape.hash}::bigint`),
    sql`, `,
  );
  return { kind: 'shapes', condition: sql`${shapeHash} IN (${hashes})` };
}

interface ShapeRow extends Record<string, unknown> {
  hash: string | number;
  fields: string[] | string;
}

/**
 * The campaign's shapes with one contact's filled fields each (a shape's hash names its fields),
 * or undefined past MAX_SHAPES. A recursive skip scan: each step is one probe of the index for the
 * next hash, so the cost follows the number of shapes, not of contacts.
 */
async function campaignShapes(
  db: Db,
  campaign: Pick<CampaignRow, 'id' | 'accountId'>,
): Promise<{ hash: string; fields: Set<string> }[] | undefined> {
  const scope = sql`${cc.accountId} = ${campaign.accountId} AND ${cc.campaignId} = ${campaign.id}`;
  const rows = await queryRows<ShapeRow>(
    db,
    sql`WITH RECURSIVE shapes(hash, fields) AS (
          (SELECT ${shapeHash}, campaign_contact_filled_fields(${cc.customFields})
           FROM ${cc} WHERE ${scope} ORDER BY 1 LIMIT 1)
          UNION ALL
          SELECT next.hash, next.fields FROM shapes, LATERAL (
            SELECT ${shapeHash} AS hash, campaign_contact_filled_fields(${cc.customFields}) AS fields
            FROM ${cc} WHERE ${scope} AND ${shapeHash} > shapes.hash ORDER BY 1 LIMIT 1) AS next)
        SELECT hash::text AS hash, array_to_json(fields)::text AS fields FROM shapes LIMIT ${MAX_SHAPES + 1}`,
  );
  if (rows.length > MAX_SHAPES) return undefined;
  return rows.map((row) => ({
    hash: String(row.hash),
    fields: new Set(typeof row.fields === 'string' ? (JSON.parse(row.fields) as string[]) : row.fields),
  }));
}
