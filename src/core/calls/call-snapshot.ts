import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { accounts, users } from '../identity/identity.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { callContacts, calls, type CallRow } from './calls.tables.js';
import type { CallSnapshot } from './calls.events.js';

export async function findCall(db: Db, accountId: number, callId: number): Promise<CallRow | null> {
  const [row] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.accountId, accountId), eq(calls.id, callId)));
  return row ?? null;
}

export async function getCall(db: Db, accountId: number, callId: number): Promise<CallRow> {
  const row = await findCall(db, accountId, callId);
  if (!row) throw notFound('Call');
  return row;
}

/** The CRM id and kind a contact was uploaded with (see resolve-call-contacts.ts). */
export function crmOfContact(row: {
  identifier: string | null;
  additionalAttributes: Record<string, unknown>;
}) {
  const crm = row.additionalAttributes['crm'];
  return {
    crmId: row.identifier,
    crmType: typeof crm === 'string' ? crm : null,
  };
}

/** Three small indexed reads; events are rare next to the work that causes them. */
export async function snapshotCall(db: Db, call: CallRow): Promise<CallSnapshot> {
  const [account] = await db
    .select({ name: accounts.name })
    .from(accounts)
    .where(eq(accounts.id, call.accountId));
  const contactRows = await db
    .select({
      id: contacts.id,
      name: contacts.name,
      email: contacts.email,
      phoneNumber: contacts.phoneNumber,
      identifier: contacts.identifier,
      additionalAttributes: contacts.additionalAttributes,
    })
    .from(callContacts)
    .innerJoin(contacts, eq(contacts.id, callContacts.contactId))
    .where(and(eq(callContacts.accountId, call.accountId), eq(callContacts.callId, call.id)))
    .orderBy(asc(callContacts.position));
  const userRows =
    call.userId === null
      ? []
      : await db
          .select({ id: users.id, email: users.email, name: users.name })
          .from(users)
          .where(eq(users.id, call.userId));
  return {
    id: call.id,
    accountId: call.accountId,
    accountName: account?.name ?? '',
    title: call.title,
    direction: call.direction,
    provider: call.provider,
    externalId: call.externalId,
    startedAt: call.startedAt?.toISOString() ?? null,
    durationSeconds: call.durationSeconds,
    language: call.language,
    state: call.state,
    failureReason: call.failureReason,
    crmActivityId: call.crmActivityId,
    crmActivityType: call.crmActivityType,
    crmAccountId: call.crmAccountId,
    crmDealId: call.crmDealId,
    summary: call.summary,
    summaryEngine: call.summaryEngine,
    contacts: contactRows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      phoneNumber: row.phoneNumber,
      ...crmOfContact(row),
    })),
    users: userRows,
  };
}
