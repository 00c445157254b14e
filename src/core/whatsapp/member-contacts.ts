import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { createContact, findContactBy } from '../contacts/contacts.js';
import { normalizePhoneNumber } from '../contacts/contact-fields.js';
import type { ContactRow } from '../contacts/contacts.tables.js';
import { digitsOfJid } from './whatsapp-provider.js';

/** The E.164 number of a user JID, or null when its digits are no valid phone number (a LID, a bot). */
export function phoneOfJid(jid: string): string | null {
  try {
    return normalizePhoneNumber(`+${digitsOfJid(jid)}`) ?? null;
  } catch {
    return null;
  }
}

/**
 * The contact behind a participant JID, found by phone number (or by the JID as identifier when it
 * carries none), created with the WhatsApp display name or the number as its name, as the fork does.
 */
export async function ensureMemberContact(
  tx: Db,
  input: { accountId: number; jid: string; pushName?: string | null | undefined; actor: Actor },
): Promise<ContactRow> {
  const phoneNumber = phoneOfJid(input.jid);
  const key = phoneNumber ? { phoneNumber } : { identifier: input.jid };
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtext(${`wa-contact:${input.accountId}:${input.jid}`}))`,
  );
  const existing = await findContactBy(tx, input.accountId, key);
  if (existing) return existing;
  const name = input.pushName?.trim() || phoneNumber || digitsOfJid(input.jid);
  return createContact(tx, { accountId: input.accountId, name, ...key, actor: input.actor });
}
