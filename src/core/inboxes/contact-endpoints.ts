import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { channelSettingsOf } from './channel-settings.js';
import { inboxes, type ChannelType, type InboxRow } from './inboxes.tables.js';

export type TelephonyFunction = 'Sms' | 'VoiceInbound' | 'VoiceOutbound';

/**
 * An address customers reach the account on: an email inbox's address, or a phone number with
 * what it does. Derived from the inboxes, so it is never out of step with them.
 */
export type ContactEndpoint =
  | { kind: 'email'; address: string; name: string; senderName: string | null }
  | { kind: 'telephony'; number: string; name: string; functionality: TelephonyFunction[] };

// A WhatsApp number is a phone number customers write to, but none of Dixa's telephony functions.
const telephonyFunctions: Partial<Record<ChannelType, TelephonyFunction[]>> = {
  sms: ['Sms'],
  voice: ['VoiceInbound', 'VoiceOutbound'],
  whatsapp: [],
};

const addressChannels: ChannelType[] = ['email', 'sms', 'whatsapp', 'voice'];

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function addEndpoint(found: Map<string, ContactEndpoint>, inbox: InboxRow): void {
  const settings = channelSettingsOf(inbox);
  if (inbox.channelType === 'email') {
    const address = nonEmpty(settings.email);
    const key = address?.toLowerCase();
    if (address && key && !found.has(key)) {
      found.set(key, { kind: 'email', address, name: inbox.name, senderName: inbox.businessName });
    }
    return;
  }
  const number = nonEmpty(settings.phoneNumber);
  const functions = telephonyFunctions[inbox.channelType];
  if (!number || !functions) return;
  const existing = found.get(number);
  if (existing?.kind === 'telephony') {
    // One number on an SMS inbox and a voice inbox is one endpoint that does both.
    existing.functionality = [...new Set([...existing.functionality, ...functions])];
    return;
  }
  found.set(number, { kind: 'telephony', number, name: inbox.name, functionality: [...functions] });
}

/** The account's email addresses and phone numbers, oldest inbox first, each address once. */
export async function listContactEndpoints(
  db: Db,
  accountId: number,
  options: { kind?: ContactEndpoint['kind'] | undefined } = {},
): Promise<ContactEndpoint[]> {
  const rows = await db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), inArray(inboxes.channelType, addressChannels)))
    .orderBy(asc(inboxes.id));
  const found = new Map<string, ContactEndpoint>();
  for (const row of rows) addEndpoint(found, row);
  const endpoints = [...found.values()];
  return options.kind ? endpoints.filter((endpoint) => endpoint.kind === options.kind) : endpoints;
}

/** The endpoint whose id (the email address, case-insensitive, or the phone number) is `id`. */
export async function getContactEndpoint(db: Db, accountId: number, id: string): Promise<ContactEndpoint> {
  const wanted = id.trim().toLowerCase();
  const endpoints = await listContactEndpoints(db, accountId);
  const endpoint = endpoints.find((candidate) =>
    candidate.kind === 'email' ? candidate.address.toLowerCase() === wanted : candidate.number === id.trim(),
  );
  if (!endpoint) throw notFound('Contact endpoint');
  return endpoint;
}
