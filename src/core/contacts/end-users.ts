import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, recordEvents, type Actor } from '../../platform/events/outbox.js';
import { assertEndUserUnique, findHolders, HeldValues } from './end-user-conflicts.js';
import {
  composedName,
  hasEndUserFields,
  prepareEndUserColumns,
  replacementOf,
  type EndUserColumns,
  type EndUserFields,
} from './end-user-fields.js';
import { contactChanges, toContactSnapshot } from './contacts.js';
import { contactCreated, contactUpdated } from './contacts.events.js';
import { contacts, type ContactRow } from './contacts.tables.js';

/**
 * End users are contacts addressed by their uuid, with the structured profile of migration 0011.
 * These use-cases keep the contact rules (normalized email and E.164 phones, one email, phone and
 * identifier per account) and record contact.created / contact.updated in the caller's transaction.
 */

export async function findEndUser(db: Db, accountId: number, uuid: string): Promise<ContactRow | null> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.accountId, accountId), eq(contacts.uuid, uuid)));
  return row ?? null;
}

export async function getEndUser(db: Db, accountId: number, uuid: string): Promise<ContactRow> {
  const row = await findEndUser(db, accountId, uuid);
  if (!row) throw notFound('End user');
  return row;
}

/** One item of a batch: the contact it became, or why it did not. */
export type EndUserOutcome = { row: ContactRow } | { error: DomainError };

interface Planned {
  index: number;
  uuid: string;
  columns: EndUserColumns;
}

function holderOf(item: Planned) {
  const { email = null, phoneNumber = null, identifier = null } = item.columns;
  return { uuid: item.uuid, email, phoneNumber, identifier };
}

function plan(items: EndUserFields[], outcomes: (EndUserOutcome | undefined)[]): Planned[] {
  const planned: Planned[] = [];
  items.forEach((item, index) => {
    try {
      const columns = prepareEndUserColumns(item);
      columns.name = columns.name || composedName(columns);
      planned.push({ index, uuid: randomUUID(), columns });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcomes[index] = { error };
    }
  });
  return planned;
}

/**
 * Creates contacts in one statement whatever their number: each item is one row, so each is
 * all-or-nothing, and one bad item (invalid, or taking a value another contact or an earlier item
 * holds) fails alone. Outcomes come back in input order.
 */
export async function createEndUsers(
  tx: Db,
  input: { accountId: number; items: EndUserFields[]; actor?: Actor | undefined },
): Promise<EndUserOutcome[]> {
  const outcomes: (EndUserOutcome | undefined)[] = input.items.map(() => undefined);
  const planned = plan(input.items, outcomes);
  const holders = await findHolders(
    tx,
    input.accountId,
    planned.map((item) => item.columns),
  );
  const held = new HeldValues(holders);
  const accepted: Planned[] = [];
  for (const item of planned) {
    const conflict = held.conflictOf(item.columns);
    if (conflict) {
      outcomes[item.index] = { error: conflict };
      continue;
    }
    accepted.push(item);
    held.add(holderOf(item));
  }
  if (accepted.length > 0) {
    // ON CONFLICT DO NOTHING: a concurrent request that took a value first costs that item only.
    const rows = await tx
      .insert(contacts)
      .values(accepted.map((item) => ({ ...item.columns, uuid: item.uuid, accountId: input.accountId })))
      .onConflictDoNothing()
      .returning();
    const byUuid = new Map(rows.map((row) => [row.uuid, row]));
    for (const item of accepted) {
      const row = byUuid.get(item.uuid);
      outcomes[item.index] = row
        ? { row }
        : { error: new DomainError('CONFLICT', 'The email, phone number or identifier has just been taken') };
    }
    await recordEvents(
      tx,
      contactCreated,
      rows.map((row) => ({
        accountId: row.accountId,
        aggregateId: row.id,
        payload: { contact: toContactSnapshot(row) },
        actor: input.actor,
      })),
    );
  }
  return outcomes.map((outcome) => {
    if (!outcome) throw new Error('an end user item was left without an outcome');
    return outcome;
  });
}

export async function createEndUser(
  tx: Db,
  input: { accountId: number; fields: EndUserFields; actor?: Actor | undefined },
): Promise<ContactRow> {
  const [outcome] = await createEndUsers(tx, { ...input, items: [input.fields] });
  if (!outcome) throw new Error('createEndUsers returned no outcome');
  if ('error' in outcome) throw outcome.error;
  return outcome.row;
}

const profileKeys = [
  'firstName',
  'middleNames',
  'lastName',
  'additionalEmails',
  'additionalPhoneNumbers',
] as const;

/** contactChanges plus the structured profile, which contact snapshots do not carry. */
export function endUserChanges(before: ContactRow, after: ContactRow) {
  const changes = contactChanges(before, after);
  for (const key of profileKeys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes[key] = { from: before[key], to: after[key] };
    }
  }
  return changes;
}

/**
 * Patches the given fields, or replaces the whole profile (`isReplacement`: what is not given is
 * cleared). An empty patch is refused, as Dixa answers EmptyPatchSet.
 */
export async function updateEndUser(
  tx: Db,
  input: {
    accountId: number;
    uuid: string;
    fields: EndUserFields;
    isReplacement?: boolean | undefined;
    actor?: Actor | undefined;
  },
): Promise<ContactRow> {
  if (!input.isReplacement && !hasEndUserFields(input.fields)) {
    throw new DomainError('VALIDATION_FAILED', 'The patch has no field to change');
  }
  const columns = prepareEndUserColumns(input.isReplacement ? replacementOf(input.fields) : input.fields);
  // FOR UPDATE: two writers of one end user apply one after the other, neither loses the other's change.
  const [before] = await tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.accountId, input.accountId), eq(contacts.uuid, input.uuid)))
    .for('update');
  if (!before) throw notFound('End user');
  await assertEndUserUnique(tx, input.accountId, columns, before.id);
  const [after] = await tx
    .update(contacts)
    .set({ ...columns, updatedAt: new Date() })
    .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, before.id)))
    .returning();
  if (!after) throw notFound('End user');
  const changes = endUserChanges(before, after);
  if (Object.keys(changes).length > 0) {
    await recordEvent(tx, contactUpdated, {
      accountId: after.accountId,
      aggregateId: after.id,
      payload: { contact: toContactSnapshot(after), changes },
      actor: input.actor,
    });
  }
  return after;
}
