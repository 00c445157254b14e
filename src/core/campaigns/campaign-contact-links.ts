import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { EVENTS_CHANNEL, type Actor } from '../../platform/events/outbox.js';
import { contactCreated } from '../contacts/contacts.events.js';
import { notifyOnCommit } from '../../platform/db/notify-after-commit.js';

/** A person to find or create among the account's core contacts. */
export interface CorePerson {
  /** E.164 ("+33123456789"): the key an existing contact is matched on. Null: always a new contact. */
  phoneNumber: string | null;
  name: string;
  firstName: string | null;
  lastName: string | null;
}

const FIRST_NAME = /^(first[\s_-]?name|firstname|pr[ée]nom)$/i;
const LAST_NAME = /^(last[\s_-]?name|lastname|surname|nom([\s_-]?de[\s_-]?famille)?)$/i;

/** Names for a new core contact, read from custom fields named like Diabolocom's examples. */
export function personNames(customFields: Record<string, string>): Omit<CorePerson, 'phoneNumber'> {
  let firstName: string | null = null;
  let lastName: string | null = null;
  for (const [key, value] of Object.entries(customFields)) {
    const trimmed = value.trim();
    if (!trimmed) continue;
    if (!firstName && FIRST_NAME.test(key)) firstName = trimmed;
    else if (!lastName && LAST_NAME.test(key)) lastName = trimmed;
  }
  return { name: [firstName, lastName].filter(Boolean).join(' '), firstName, lastName };
}

const isoUtc = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * A campaign contact is a core contact (DESIGN.md, "One truth"). In one statement for any number
 * of people: an existing contact of the account with the same phone number is reused (the
 * oldest), the others are created — one per distinct number — each with its `contact.created`
 * event in the outbox. Returns the core contact id for each person, in order.
 */
export async function linkCoreContacts(
  tx: Db,
  accountId: number,
  people: readonly CorePerson[],
  actor: Actor | undefined,
): Promise<number[]> {
  if (people.length === 0) return [];
  const input = people.map((person, index) => ({
    k: index,
    phone: person.phoneNumber,
    // Gives each would-be new contact a handle, so its id can be found again after the insert.
    uuid: randomUUID(),
    name: person.name,
    first_name: person.firstName,
    last_name: person.lastName,
  }));
  const rows = await queryRows<{ k: number; contact_id: string | number }>(
    tx,
    sql`WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        AS t(k int, phone text, uuid uuid, name text, first_name text, last_name text)
    ),
    -- One index probe per number: the planner has no statistics for the input and would
    -- otherwise read every contact of the account.
    existing AS (
      SELECT p.phone AS phone_number, c.id
      FROM (SELECT DISTINCT phone FROM input WHERE phone IS NOT NULL) p
      CROSS JOIN LATERAL (
        SELECT id FROM contacts WHERE account_id = ${accountId} AND phone_number = p.phone ORDER BY id LIMIT 1
      ) c
    ),
    fresh AS (
      SELECT DISTINCT ON (coalesce(i.phone, i.uuid::text)) i.* FROM input i
      WHERE i.phone IS NULL OR NOT EXISTS (SELECT 1 FROM existing e WHERE e.phone_number = i.phone)
      ORDER BY coalesce(i.phone, i.uuid::text), i.k
    ),
    created AS (
      INSERT INTO contacts (account_id, uuid, name, first_name, last_name, phone_number)
      SELECT ${accountId}, uuid, name, first_name, last_name, phone FROM fresh
      RETURNING *
    ),
    logged AS (
      INSERT INTO events (account_id, type, version, aggregate_type, aggregate_id, actor, payload)
      SELECT account_id, ${contactCreated.type}, ${contactCreated.version}, ${contactCreated.aggregateType},
        id::text, ${actor ? JSON.stringify(actor) : null}::jsonb,
        jsonb_build_object('contact', jsonb_build_object(
          'id', id, 'accountId', account_id, 'name', name, 'email', email, 'phoneNumber', phone_number,
          'identifier', identifier, 'avatarUrl', avatar_url, 'blocked', blocked, 'contactType', contact_type,
          'additionalAttributes', additional_attributes, 'customAttributes', custom_attributes,
          'labels', to_jsonb(labels), 'lastActivityAt', null,
          'createdAt', ${isoUtc('created_at')}, 'updatedAt', ${isoUtc('updated_at')}))
      FROM created
    )
    SELECT i.k, coalesce(e.id, by_phone.id, by_handle.id) AS contact_id
    FROM input i
    LEFT JOIN existing e ON e.phone_number = i.phone
    LEFT JOIN created by_phone ON by_phone.phone_number = i.phone
    LEFT JOIN created by_handle ON by_handle.uuid = i.uuid
    ORDER BY i.k`,
  );
  await notifyOnCommit(tx, EVENTS_CHANNEL);
  const ids = new Array<number>(people.length);
  for (const row of rows) ids[row.k] = Number(row.contact_id);
  return ids;
}
